package io.github.redisessync.job.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.testing.TestServices;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the tail tests share: loading hashes, reading job metrics, awaiting conditions. */
final class TailTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TailTestSupport.class);

    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private TailTestSupport() {}

    /** The largest value of a numeric gauge of the job over its subtasks. */
    static double maxGauge(InMemoryReporter reporter, JobID job, String name) {
        return reporter.getMetricsByIdentifiers(job).entrySet().stream()
                .filter(e -> e.getKey().endsWith("." + name) && e.getValue() instanceof Gauge)
                .mapToDouble(
                        e -> {
                            Object value = ((Gauge<?>) e.getValue()).getValue();
                            return value instanceof Number ? ((Number) value).doubleValue() : 0;
                        })
                .max()
                .orElse(0);
    }

    /** The sum of a counter of the job over its subtasks. */
    static long counter(InMemoryReporter reporter, JobID job, String name) {
        return reporter.getMetricsByIdentifiers(job).entrySet().stream()
                .filter(e -> e.getKey().endsWith("." + name) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }

    /** Polls a condition until it holds; fails naming it after the timeout. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Polls until the index equals Redis or the timeout; returns the last differences. */
    static String awaitConvergence(
            RedisAsyncCommands<String, String> redis, String prefix, String index)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String differences;
        int polls = 0;
        do {
            Map<String, Map<String, String>> inRedis = SyncedState.redis(redis, prefix);
            Map<String, Map<String, String>> inIndex =
                    SyncedState.elasticsearch(TestServices.elasticsearch().url(), index);
            differences = SyncedState.differences(inRedis, inIndex);
            polls++;
            if (differences.isEmpty()) {
                LOG.info(
                        "Index {} equals Redis after {} polls: {} documents",
                        index,
                        polls,
                        inIndex.size());
                return differences;
            }
            LOG.info("Not converged yet: {}", differences);
        } while (System.nanoTime() < deadline);
        return differences;
    }

    /** Writes {@code count} hashes {@code prefix0 ..}, pipelined. */
    static void load(RedisAsyncCommands<String, String> redis, String prefix, int count) {
        List<RedisFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(redis.hset(prefix + i, Map.of("name", "user " + i, "v", "initial")));
            if (pending.size() == 1000) {
                LettuceFutures.awaitAll(
                        Duration.ofSeconds(30), pending.toArray(new RedisFuture[0]));
                pending.clear();
            }
        }
        LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(new RedisFuture[0]));
    }
}
