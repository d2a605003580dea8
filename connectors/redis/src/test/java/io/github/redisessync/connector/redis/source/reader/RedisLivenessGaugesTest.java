package io.github.redisessync.connector.redis.source.reader;

import static io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics.OLDEST_PENDING_CHANGE_AGE;
import static io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics.SECONDS_SINCE_CHECKPOINT;
import static io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics.TAIL_SUBSCRIBED;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The liveness gauges on a clock of the test's own: no server, no sleep. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisLivenessGaugesTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final GaugeCapture group = new GaugeCapture();
    private final RedisSourceMetrics metrics = new RedisSourceMetrics(group, nanos::get);

    @Test
    void secondsSinceCheckpointCountFromTheStartThenFromEachCompletedCheckpoint() throws Exception {
        assertThat(group.value(SECONDS_SINCE_CHECKPOINT)).isEqualTo(0.0);
        advanceMillis(2_500);
        assertThat(group.value(SECONDS_SINCE_CHECKPOINT)).isEqualTo(2.5);

        try (RedisSourceReader reader = reader()) {
            reader.notifyCheckpointComplete(1);
            assertThat(group.value(SECONDS_SINCE_CHECKPOINT)).isEqualTo(0.0);
            advanceMillis(31_000);
            assertThat(group.value(SECONDS_SINCE_CHECKPOINT)).isEqualTo(31.0);
        }
    }

    @Test
    void theOldestPendingChangeAgesUntilItIsReadAndAKeyChangedAgainKeepsItsFirstTime() {
        RedisChangeBuffer buffer = new RedisChangeBuffer(10, nanos::get);
        metrics.pendingChanges(buffer);
        assertThat(group.value(OLDEST_PENDING_CHANGE_AGE)).isEqualTo(0.0);

        buffer.offer(utf8("a"));
        advanceMillis(1_000);
        buffer.offer(utf8("b"));
        advanceMillis(3_000);
        buffer.offer(utf8("a")); // still waiting: one re-read serves both changes
        assertThat(group.value(OLDEST_PENDING_CHANGE_AGE)).isEqualTo(4.0);
        assertThat(group.value("redisPendingChanges")).isEqualTo(2L);

        assertThat(buffer.drain(1)).extracting(RedisLivenessGaugesTest::text).containsExactly("a");
        assertThat(group.value(OLDEST_PENDING_CHANGE_AGE)).isEqualTo(3.0);
        buffer.drain(10);
        assertThat(group.value(OLDEST_PENDING_CHANGE_AGE)).isEqualTo(0.0);

        // Changed again after its re-read: a new change, aged from now.
        buffer.offer(utf8("a"));
        advanceMillis(250);
        assertThat(group.value(OLDEST_PENDING_CHANGE_AGE)).isEqualTo(0.25);
    }

    @Test
    void eachTailHasItsSubscribedGaugeInAGroupNamedAfterTheSplit() {
        AtomicBoolean open = new AtomicBoolean();
        metrics.tail("tail-0", open::get);

        assertThat(group.value("tail.tail-0." + TAIL_SUBSCRIBED)).isEqualTo(0);
        open.set(true);
        assertThat(group.value("tail.tail-0." + TAIL_SUBSCRIBED)).isEqualTo(1);
        open.set(false);
        assertThat(group.value("tail.tail-0." + TAIL_SUBSCRIBED)).isEqualTo(0);
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private RedisSourceReader reader() {
        Configuration config = new Configuration();
        return new RedisSourceReader(
                () -> new RedisSplitReader(config, metrics),
                new RedisRecordEmitter(metrics.keysScanned(), metrics.recordsEmitted()),
                config,
                new NoCoordinatorContext(),
                metrics);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A reader context for a reader that is never started: nothing to talk to. */
    private static final class NoCoordinatorContext implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {}

        @Override
        public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
