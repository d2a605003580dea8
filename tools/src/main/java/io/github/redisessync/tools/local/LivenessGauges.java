package io.github.redisessync.tools.local;

import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The Redis source's liveness gauges of a job in this JVM's MiniCluster, read where {@code local}
 * reports progress.
 *
 * <p>A Flink metric reporter sees every gauge as it is registered and removed, and a gauge reads
 * its value when asked, also while the task that registered it is stuck; accumulators, which the
 * progress line reads otherwise, reach the client only with heartbeats and say nothing of a stuck
 * task. Flink creates reporters itself from the cluster configuration, so {@link #register} gives
 * this instance an id that {@link Factory} finds it by.
 */
public final class LivenessGauges implements AutoCloseable {

    private static final String REPORTER = "redis-es-sync-liveness";
    private static final Map<String, LivenessGauges> BY_ID = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final Map<Metric, Entry> gauges = new ConcurrentHashMap<>();

    /** One registered gauge: its name and, for a tail's, the tail split's id. */
    private static final class Entry {
        final String name;
        final String tail;
        final Gauge<?> gauge;

        Entry(String name, String tail, Gauge<?> gauge) {
            this.name = name;
            this.tail = tail;
            this.gauge = gauge;
        }
    }

    /** What the gauges say now, over every subtask of the source. */
    public static final class Readings {
        /** The most seconds since a checkpoint completed, of any reader; null without readers. */
        public final Double secondsSinceCheckpoint;

        /** Each tail's split id and whether it is subscribed. */
        public final Map<String, Boolean> tailsSubscribed;

        /** The oldest change any tail has not re-read yet, in seconds; 0 when none waits. */
        public final double oldestPendingChangeSeconds;

        public Readings(
                Double secondsSinceCheckpoint,
                Map<String, Boolean> tailsSubscribed,
                double oldestPendingChangeSeconds) {
            this.secondsSinceCheckpoint = secondsSinceCheckpoint;
            this.tailsSubscribed = tailsSubscribed;
            this.oldestPendingChangeSeconds = oldestPendingChangeSeconds;
        }
    }

    /**
     * A new instance, with a reporter in {@code cluster} (the MiniCluster's configuration) that
     * feeds it the gauges of the jobs that cluster runs.
     */
    public static LivenessGauges register(Configuration cluster) {
        LivenessGauges gauges = new LivenessGauges();
        BY_ID.put(gauges.id, gauges);
        String prefix = "metrics.reporter." + REPORTER + ".";
        cluster.setString(prefix + "factory.class", Factory.class.getName());
        cluster.setString(prefix + "id", gauges.id);
        return gauges;
    }

    /** The values now. */
    public Readings read() {
        Double since = null;
        double oldest = 0;
        Map<String, Boolean> tails = new TreeMap<>();
        for (Entry entry : gauges.values()) {
            double value = value(entry.gauge);
            if (Double.isNaN(value)) {
                continue;
            }
            switch (entry.name) {
                case RedisSourceMetrics.SECONDS_SINCE_CHECKPOINT:
                    since = since == null ? value : Math.max(since, value);
                    break;
                case RedisSourceMetrics.OLDEST_PENDING_CHANGE_AGE:
                    oldest = Math.max(oldest, value);
                    break;
                default:
                    tails.merge(entry.tail, value > 0, Boolean::logicalAnd);
            }
        }
        return new Readings(since, tails, oldest);
    }

    private static double value(Gauge<?> gauge) {
        try {
            Object value = gauge.getValue();
            return value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
        } catch (RuntimeException e) {
            return Double.NaN; // a gauge of a task being torn down; the next look has the new one
        }
    }

    void added(Metric metric, String name, MetricGroup group) {
        if (!(metric instanceof Gauge)) {
            return;
        }
        switch (name) {
            case RedisSourceMetrics.SECONDS_SINCE_CHECKPOINT:
            case RedisSourceMetrics.OLDEST_PENDING_CHANGE_AGE:
                gauges.put(metric, new Entry(name, null, (Gauge<?>) metric));
                break;
            case RedisSourceMetrics.TAIL_SUBSCRIBED:
                String tail =
                        group.getAllVariables()
                                .getOrDefault("<" + RedisSourceMetrics.TAIL_GROUP + ">", "tail");
                gauges.put(metric, new Entry(name, tail, (Gauge<?>) metric));
                break;
            default:
        }
    }

    void removed(Metric metric) {
        gauges.remove(metric);
    }

    @Override
    public void close() {
        BY_ID.remove(id);
        gauges.clear();
    }

    /** The reporter Flink creates from the configuration {@link #register} wrote. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            LivenessGauges target = BY_ID.get(properties.getProperty("id", ""));
            return new MetricReporter() {
                @Override
                public void open(MetricConfig config) {}

                @Override
                public void close() {}

                @Override
                public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
                    if (target != null) {
                        target.added(metric, name, group);
                    }
                }

                @Override
                public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
                    if (target != null) {
                        target.removed(metric);
                    }
                }
            };
        }
    }
}
