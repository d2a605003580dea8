package io.github.redisessync.connector.redis.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The publisher's stream side on a real Redis: write and entry in one step, trimmed as it grows.
 */
class RedisChangePublisherITCase {

    @Test
    void eachWriteAppendsOneEntryNamingItsKeyWithItsVersion() {
        String prefix = RedisTestClient.uniquePrefix("publisher");
        String stream = "changes-" + prefix;
        RedisClient client = RedisClient.create(RedisTestClient.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            RedisChangePublisher publisher = RedisChangePublisher.toStream(connection, stream, 0);

            long written = publisher.hset(prefix + "1", Map.of("name", "Ada", "city", "Oslo"));
            long removed = publisher.hdel(prefix + "1", "city");
            assertThat(redis.hgetall(prefix + "1")).isEqualTo(Map.of("name", "Ada"));
            long deleted = publisher.del(prefix + "1");

            assertThat(redis.exists(prefix + "1")).isZero();
            List<StreamMessage<String, String>> entries =
                    redis.xrange(stream, Range.create("-", "+"));
            assertThat(entries)
                    .extracting(StreamMessage::getBody)
                    .containsExactly(
                            Map.of(
                                    "key",
                                    prefix + "1",
                                    "op",
                                    "hset",
                                    "version",
                                    Long.toString(written)),
                            Map.of(
                                    "key",
                                    prefix + "1",
                                    "op",
                                    "hdel",
                                    "version",
                                    Long.toString(removed)),
                            Map.of(
                                    "key",
                                    prefix + "1",
                                    "op",
                                    "del",
                                    "version",
                                    Long.toString(deleted)));
            assertThat(removed).isGreaterThan(written);
            assertThat(deleted).isGreaterThan(removed);
            assertThatThrownBy(() -> publisher.hdel(prefix + "1"))
                    .hasMessageContaining("needs at least one field");
        } finally {
            cleanUp(client, stream);
            client.shutdown();
        }
    }

    @Test
    void aBoundedStreamIsTrimmedAsItGrows() {
        String prefix = RedisTestClient.uniquePrefix("publisher-trim");
        String stream = "changes-" + prefix;
        RedisClient client = RedisClient.create(RedisTestClient.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisChangePublisher publisher = RedisChangePublisher.toStream(connection, stream, 100);
            for (int i = 0; i < 1_000; i++) {
                publisher.hset(prefix + i, Map.of("n", Integer.toString(i)));
            }

            // MAXLEN ~ trims whole nodes of the radix tree: about 100, never all 1,000.
            assertThat(connection.sync().xlen(stream)).isBetween(100L, 500L);
            assertThat(connection.sync().hget(prefix + 999, "n")).isEqualTo("999");
            assertThatThrownBy(() -> RedisChangePublisher.toStream(connection, "", 10))
                    .hasMessageContaining("stream must be named");
        } finally {
            cleanUp(client, stream, prefix + "*");
            client.shutdown();
        }
    }

    /** Deletes the stream and the keys under {@code patterns} this test wrote. */
    private static void cleanUp(RedisClient client, String stream, String... patterns) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(stream);
            for (String pattern : patterns) {
                List<String> keys = redis.keys(pattern);
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(new String[0]));
                }
            }
        }
    }
}
