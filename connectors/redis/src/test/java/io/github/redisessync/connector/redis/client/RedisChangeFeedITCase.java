package io.github.redisessync.connector.redis.client;

import static io.github.redisessync.connector.redis.source.RedisTestClient.text;
import static io.github.redisessync.connector.redis.source.RedisTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.lettuce.core.KillArgs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisChangeFeed} on a real Redis: what it reports, that {@link
 * RedisChangeFeed#awaitDelivered} covers every change made before it (no wait for the changes
 * themselves), and that a killed connection is lost, never silently resubscribed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisChangeFeedITCase {

    private static final Duration BARRIER = Duration.ofSeconds(20);

    private static Configuration config() throws IOException {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, RedisTestClient.uri());
        // Adds missing flags only, as every test may; the servers the build starts have them.
        config.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, true);
        RedisKeyspaceNotifications.ensure(config, 0);
        return config;
    }

    private static RedisChangeFeed open(
            RedisTailMode mode, List<String> patterns, String channel, Seen seen)
            throws IOException {
        return RedisChangeFeed.open(
                config(), 0, mode, patterns, channel, "redis-es-sync-test-feed", seen);
    }

    /** What a listener saw: each key with whether its last change may have removed it. */
    private static final class Seen implements RedisChangeFeed.Listener {
        final Map<String, Boolean> keys = Collections.synchronizedMap(new HashMap<>());
        final CountDownLatch lost = new CountDownLatch(1);

        @Override
        public void changed(byte[] key, boolean mayBeRemoved) {
            keys.put(text(key), mayBeRemoved);
        }

        @Override
        public void lost() {
            lost.countDown();
        }
    }

    @Test
    void reportsEveryKeyspaceChangeOfThePatternsBeforeTheBarrierReturns() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("feed");
        Seen seen = new Seen();
        try (RedisTestClient redis = new RedisTestClient(0);
                RedisChangeFeed feed =
                        open(RedisTailMode.KEYSPACE, List.of(prefix + "user:*"), null, seen)) {
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                redis.sync().hset(utf8(prefix + "user:" + i), utf8("name"), utf8("n" + i));
                written.add(prefix + "user:" + i);
            }
            redis.sync().set(utf8(prefix + "order:1"), utf8("not followed"));
            redis.sync().del(utf8(prefix + "user:7"));

            feed.awaitDelivered(BARRIER);

            assertThat(seen.keys).containsKeys(written.toArray(new String[0]));
            assertThat(seen.keys).doesNotContainKey(prefix + "order:1");
            assertThat(seen.keys.get(prefix + "user:7")).as("deleted").isTrue();
            assertThat(seen.keys.get(prefix + "user:8")).as("written").isFalse();
            assertThat(feed.isLost()).isFalse();
            redis.sync().del(written.stream().map(RedisTestClient::utf8).toArray(byte[][]::new));
            redis.sync().del(utf8(prefix + "order:1"));
        }
    }

    @Test
    void readsTheKeyOfPlainAndJsonChannelMessagesThatMatchThePatterns() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("feed-channel");
        String channel = prefix + "changes";
        Seen seen = new Seen();
        try (RedisTestClient redis = new RedisTestClient(0);
                RedisChangeFeed feed =
                        open(RedisTailMode.CHANNEL, List.of(prefix + "user:*"), channel, seen)) {
            redis.sync().publish(utf8(channel), utf8(prefix + "user:1"));
            redis.sync()
                    .publish(
                            utf8(channel),
                            utf8("{\"key\":\"" + prefix + "user:2\",\"op\":\"hset\"}"));
            redis.sync().publish(utf8(channel), utf8(prefix + "order:3"));

            feed.awaitDelivered(BARRIER);

            assertThat(seen.keys)
                    .containsOnlyKeys(prefix + "user:1", prefix + "user:2")
                    // A message does not say whether the key is gone.
                    .containsValues(true);
        }
    }

    @Test
    void aKilledConnectionIsLostAndTheBarrierFails() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("feed-lost");
        Seen seen = new Seen();
        try (RedisTestClient redis = new RedisTestClient(0);
                RedisChangeFeed feed =
                        open(RedisTailMode.KEYSPACE, List.of(prefix + "*"), null, seen)) {
            assertThat(feed.clientId()).isPositive();
            // This feed's own connection only, by its id.
            assertThat(redis.sync().clientKill(KillArgs.Builder.id(feed.clientId()))).isEqualTo(1L);

            assertThat(seen.lost.await(20, TimeUnit.SECONDS)).as("listener told").isTrue();
            assertThat(feed.isLost()).isTrue();
            assertThatThrownBy(() -> feed.awaitDelivered(BARRIER))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("was lost");
        }
    }
}
