package io.github.redisessync.job.testing;

import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/**
 * Reads a job's metrics from an {@link InMemoryReporter}, summed or maximised over its subtasks.
 *
 * <p>Metrics are looked up by group, not by identifier: {@link
 * InMemoryReporter#getMetricsByIdentifiers(JobID)} fails when two operators of a chain register the
 * same identifier. A reporter {@link InMemoryReporter#createWithRetainedMetrics() retaining
 * metrics} keeps a cancelled job's values readable.
 */
public final class Metrics {

    private Metrics() {}

    /** The sum of a counter over the subtasks of {@code job}. */
    public static long counter(InMemoryReporter reporter, JobID job, String name) {
        return metrics(reporter, ofJob(job), name)
                .filter(metric -> metric instanceof Counter)
                .mapToLong(metric -> ((Counter) metric).getCount())
                .sum();
    }

    /** The sum of a counter over every job {@code reporter} has seen. */
    public static long counter(InMemoryReporter reporter, String name) {
        return metrics(reporter, group -> true, name)
                .filter(metric -> metric instanceof Counter)
                .mapToLong(metric -> ((Counter) metric).getCount())
                .sum();
    }

    /**
     * The largest value of a numeric gauge over the subtasks of {@code job} (or its job-level
     * gauge, as {@code numberOfCompletedCheckpoints}); 0 when there is none yet.
     */
    public static double maxGauge(InMemoryReporter reporter, JobID job, String name) {
        return metrics(reporter, ofJob(job), name)
                .filter(metric -> metric instanceof Gauge)
                .map(metric -> ((Gauge<?>) metric).getValue())
                .mapToDouble(value -> value instanceof Number ? ((Number) value).doubleValue() : 0)
                .max()
                .orElse(0);
    }

    /**
     * How often Flink restarted {@code job} so far (its {@code numRestarts} gauge). Fails when the
     * job has no such gauge yet, so that "no restart" is never read from a metric that is missing.
     */
    public static long restarts(InMemoryReporter reporter, JobID job) {
        Object value =
                metrics(reporter, ofJob(job), "numRestarts")
                        .filter(metric -> metric instanceof Gauge)
                        .map(metric -> ((Gauge<?>) metric).getValue())
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "Job "
                                                        + job
                                                        + " has no numRestarts gauge: is the"
                                                        + " reporter on the MiniCluster?"));
        return ((Number) value).longValue();
    }

    private static Predicate<MetricGroup> ofJob(JobID job) {
        String id = job.toString();
        return group -> id.equals(group.getAllVariables().get(ScopeFormat.SCOPE_JOB_ID));
    }

    private static Stream<Metric> metrics(
            InMemoryReporter reporter, Predicate<MetricGroup> groups, String name) {
        return reporter.getMetricsByGroup().entrySet().stream()
                .filter(e -> groups.test(e.getKey()))
                .map(Map.Entry::getValue)
                .map(metrics -> metrics.get(name))
                .filter(metric -> metric != null);
    }
}
