package io.github.redisessync.connector.redis.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code tailSubscribed} gauge on a real Redis: 1 once the tail subscribed, 0 after the server
 * killed the tail's own pub/sub connection (by its client id: other clients of the server are never
 * touched), 1 again once the reader healed the gap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTailSubscribedITCase {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void tailSubscribedDropsToZeroWhenItsConnectionIsKilledAndReturnsOnceResubscribed()
            throws Exception {
        String prefix = RedisTestClient.uniquePrefix("subscribed");
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, RedisTestClient.uri());
        config.set(RedisSourceOptions.TAIL_MODE, RedisTailMode.KEYSPACE);
        RedisTailSplit tail =
                new RedisTailSplit(
                        "localhost:0", 0, RedisTailMode.KEYSPACE, "", List.of(prefix + "*"), false);
        GaugeCapture group = new GaugeCapture();
        String gauge = "tail." + tail.splitId() + "." + RedisSourceMetrics.TAIL_SUBSCRIBED;

        try (RedisSplitReader reader = new RedisSplitReader(config, new RedisSourceMetrics(group));
                RedisTestClient redis = new RedisTestClient(0)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(tail)));
            assertThat(group.value(gauge)).as("before the first fetch").isEqualTo(0);

            reader.fetch().recycle(); // subscribes, then waits briefly for changes
            assertThat(group.value(gauge)).as("subscribed").isEqualTo(1);
            long killed = reader.tailClientId();
            assertThat(killed).isPositive();

            // This test's own connection only, by its id; never CLIENT KILL TYPE pubsub.
            assertThat(redis.sync().clientKill(KillArgs.Builder.id(killed))).isEqualTo(1L);
            // Lettuce tells the reader of the disconnect on its own thread; no fetch runs here,
            // so the gauge stays at 0 until the next fetch heals the gap.
            awaitTrue("the gauge to show the lost subscription", () -> zero(group, gauge));

            reader.fetch().recycle(); // a gap: resubscribes first, then starts the rescan
            assertThat(group.value(gauge)).as("resubscribed").isEqualTo(1);
            assertThat(reader.tailClientId()).isPositive().isNotEqualTo(killed);
        }
    }

    private static boolean zero(GaugeCapture group, String gauge) {
        return Integer.valueOf(0).equals(group.value(gauge));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + WAIT + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
