package io.github.redisessync.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reporter Flink creates from the configuration {@link LivenessGauges#register} writes, fed as
 * Flink feeds it: gauges of two source subtasks, then one subtask's removed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LivenessGaugesTest {

    @Test
    void readsTheSourceGaugesOfEverySubtaskByTheConfiguredReporter() {
        Configuration cluster = new Configuration();
        try (LivenessGauges liveness = LivenessGauges.register(cluster)) {
            MetricReporter reporter = reporterFrom(cluster);
            AtomicInteger subscribed = new AtomicInteger(1);
            Gauge<Double> since0 = () -> 4.0;
            Gauge<Double> since1 = () -> 12.5;
            reporter.notifyOfAddedMetric(
                    since0, RedisSourceMetrics.SECONDS_SINCE_CHECKPOINT, GROUP);
            reporter.notifyOfAddedMetric(
                    since1, RedisSourceMetrics.SECONDS_SINCE_CHECKPOINT, GROUP);
            reporter.notifyOfAddedMetric(
                    (Gauge<Double>) () -> 0.75,
                    RedisSourceMetrics.OLDEST_PENDING_CHANGE_AGE,
                    GROUP);
            reporter.notifyOfAddedMetric(
                    (Gauge<Integer>) subscribed::get,
                    RedisSourceMetrics.TAIL_SUBSCRIBED,
                    tailGroup("tail:r:6379/0"));
            reporter.notifyOfAddedMetric(new SimpleCounter(), "redisGaps", GROUP);

            LivenessGauges.Readings readings = liveness.read();
            assertThat(readings.secondsSinceCheckpoint).isEqualTo(12.5);
            assertThat(readings.oldestPendingChangeSeconds).isEqualTo(0.75);
            assertThat(readings.tailsSubscribed).isEqualTo(Map.of("tail:r:6379/0", true));

            subscribed.set(0);
            reporter.notifyOfRemovedMetric(
                    since1, RedisSourceMetrics.SECONDS_SINCE_CHECKPOINT, GROUP);
            readings = liveness.read();
            assertThat(readings.secondsSinceCheckpoint).isEqualTo(4.0);
            assertThat(readings.tailsSubscribed).isEqualTo(Map.of("tail:r:6379/0", false));
        }
    }

    private static final MetricGroup GROUP = new UnregisteredMetricsGroup();

    private static MetricReporter reporterFrom(Configuration cluster) {
        String prefix = "metrics.reporter.redis-es-sync-liveness.";
        assertThat(cluster.toMap())
                .containsEntry(prefix + "factory.class", LivenessGauges.Factory.class.getName());
        Properties properties = new Properties();
        properties.setProperty("id", cluster.toMap().get(prefix + "id"));
        return new LivenessGauges.Factory().createMetricReporter(properties);
    }

    /** The group {@code tail=<id>} the source registers a tail's gauge in. */
    private static MetricGroup tailGroup(String tail) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<" + RedisSourceMetrics.TAIL_GROUP + ">", tail);
            }
        };
    }
}
