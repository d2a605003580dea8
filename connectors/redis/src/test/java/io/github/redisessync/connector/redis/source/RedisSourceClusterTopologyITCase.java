package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.testing.Conditions;
import io.github.redisessync.testing.PrivateRedisCluster;
import io.github.redisessync.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RedisSource} with a keyspace tail in a MiniCluster against a Redis Cluster of the
 * test's own while a writer changes keys on every primary, changes the cluster's topology mid-way
 * (a planned failover, a killed primary, slots moved to another primary), and checks that the
 * source ends exactly as the cluster (read by Lettuce's cluster client, not by the source), with
 * the change counted as a gap and no job restart.
 */
class RedisSourceClusterTopologyITCase {

    private static final Logger LOG =
            LoggerFactory.getLogger(RedisSourceClusterTopologyITCase.class);
    private static final int KEYS = 2_000;
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(3)
                            .build());

    private PrivateRedisCluster cluster;
    private ClusterKeys keys;

    @BeforeEach
    void startCluster() {
        cluster = PrivateRedisCluster.start();
        keys =
                new ClusterKeys(
                        cluster.endpoint().seedUri(),
                        TestServices.uniqueName("topology") + ":",
                        KEYS);
    }

    @AfterEach
    void stopCluster() throws InterruptedException {
        try {
            if (keys != null) {
                keys.close();
            }
        } finally {
            cluster.close();
        }
    }

    /** The three changes: each on the first primary, returning when the cluster agrees. */
    private enum TopologyChange {
        PLANNED_FAILOVER,
        KILLED_PRIMARY,
        SLOTS_MOVED
    }

    /**
     * Each change mid-tail; the failover and the resharding also mid-scan, and with a channel tail
     * (which keeps the keys of the slots its primary serves now, so those move too).
     */
    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of(Phase.TAIL, TopologyChange.PLANNED_FAILOVER, RedisTailMode.KEYSPACE),
                Arguments.of(Phase.TAIL, TopologyChange.KILLED_PRIMARY, RedisTailMode.KEYSPACE),
                Arguments.of(Phase.TAIL, TopologyChange.SLOTS_MOVED, RedisTailMode.KEYSPACE),
                Arguments.of(Phase.SCAN, TopologyChange.PLANNED_FAILOVER, RedisTailMode.KEYSPACE),
                Arguments.of(Phase.SCAN, TopologyChange.SLOTS_MOVED, RedisTailMode.KEYSPACE),
                Arguments.of(Phase.TAIL, TopologyChange.PLANNED_FAILOVER, RedisTailMode.CHANNEL),
                Arguments.of(Phase.TAIL, TopologyChange.SLOTS_MOVED, RedisTailMode.CHANNEL));
    }

    @ParameterizedTest(name = "{1} mid-{0}, {2} tail")
    @MethodSource("changes")
    @Timeout(240)
    void followsTheChange(Phase phase, TopologyChange change, RedisTailMode tail) throws Exception {
        runThrough(
                phase,
                change,
                tail == RedisTailMode.CHANNEL ? TestServices.uniqueName("changes") : null);
    }

    @Test
    @Timeout(240)
    void followsAFailoverWhileTheJobIsDown(@TempDir Path savepoints) throws Exception {
        keys.writeAll();
        StreamExecutionEnvironment env = environment(null);
        CloseableIterator<RedisRecord> it =
                env.fromSource(
                                source(false, null),
                                WatermarkStrategy.noWatermarks(),
                                "redis-cluster")
                        .uid("redis-cluster-source")
                        .collectAsync();
        JobClient job = env.executeAsync("redis-cluster-topology-it");
        SourceOutput output = new SourceOutput(it);
        String savepoint;
        try {
            await("every key read by the snapshot", () -> output.size() >= KEYS);
            savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
        } finally {
            it.close();
            output.join();
        }

        // While no job runs: writes, a failover, more writes.
        keys.startWriter(null);
        await("the writer under way", () -> keys.writes() > 500);
        String primary = cluster.primaries().get(0);
        cluster.failover(primary);
        long writesAfter = keys.writes() + 1_000;
        await("the writer goes on after the change", () -> keys.writes() > writesAfter);
        keys.stopWriter();

        // The restored splits name the old primary, a replica now: its reader reads the new one.
        env = environment(savepoint);
        it =
                env.fromSource(
                                source(false, null),
                                WatermarkStrategy.noWatermarks(),
                                "redis-cluster")
                        .uid("redis-cluster-source")
                        // A new collect sink: the old one's restored state would hold its results.
                        .filter(record -> true)
                        .collectAsync();
        job = env.executeAsync("redis-cluster-topology-it-restored");
        SourceOutput restored = new SourceOutput(it);
        try {
            await("the restored source equals the cluster", () -> keys.mismatches(restored) == 0);
            assertThat(gaps(job.getJobID())).as("gaps counted").isGreaterThanOrEqualTo(1);
            assertThat(restarts(job.getJobID())).as("job restarts").isZero();
        } finally {
            stop(job, it, restored);
        }
    }

    private enum Phase {
        SCAN,
        TAIL
    }

    /**
     * Writes every key, starts the source, runs the writer, changes the topology of the first
     * primary in {@code phase} (mid-scan: the scan is paced, and the change comes when its first
     * records did), writes on, stops the writer and waits until the source's newest record of every
     * key is what the cluster holds.
     */
    /** With {@code channel}: a channel tail, on which the writer publishes each key it wrote. */
    private void runThrough(Phase phase, TopologyChange change, @Nullable String channel)
            throws Exception {
        keys.writeAll();
        assertThat(keys.primariesOfKeys()).hasSize(3);
        StreamExecutionEnvironment env = environment(null);
        CloseableIterator<RedisRecord> it =
                env.fromSource(
                                source(phase == Phase.SCAN, channel),
                                WatermarkStrategy.noWatermarks(),
                                "redis-cluster")
                        .collectAsync();
        JobClient job = env.executeAsync("redis-cluster-topology-it");
        SourceOutput output = new SourceOutput(it);
        try {
            String primary = cluster.primaries().get(0);
            if (phase == Phase.SCAN) {
                await("the first records of the scan", () -> output.size() > 0);
            } else {
                await("every key read by the snapshot", () -> output.size() >= KEYS);
            }
            keys.startWriter(channel);
            await("the writer under way", () -> keys.writes() > 500);
            long started = System.nanoTime();
            apply(change, primary);
            LOG.info(
                    "Topology change on {} done in {} ms; primaries now {}",
                    primary,
                    (System.nanoTime() - started) / 1_000_000,
                    cluster.primaries());
            long writesAfter = keys.writes() + 2_000;
            await("the writer goes on after the change", () -> keys.writes() > writesAfter);
            keys.stopWriter();
            await("the source equals the cluster", () -> keys.mismatches(output) == 0);
            assertThat(gaps(job.getJobID())).as("gaps counted").isGreaterThanOrEqualTo(1);
            assertThat(restarts(job.getJobID())).as("job restarts").isZero();
        } finally {
            keys.stopWriter();
            stop(job, it, output);
        }
    }

    /**
     * A keyspace tail, or a tail of {@code channel} if not null; {@code paced}: the scan reads 150
     * keys/s, so it lasts seconds.
     */
    private RedisSource source(boolean paced, @Nullable String channel) {
        RedisSourceBuilder builder =
                RedisSource.builder()
                        .setRedisUri(cluster.endpoint().seedUri())
                        .setKeyPatterns(List.of(keys.prefix() + "*"))
                        .setScanCount(50)
                        .setReadBatchSize(100)
                        .setClusterTopologyRefresh(Duration.ofSeconds(1))
                        .setTailMode(RedisTailMode.KEYSPACE);
        if (channel != null) {
            builder.setTailMode(RedisTailMode.CHANNEL).setTailChannel(channel);
        }
        if (paced) {
            builder.setScanMaxKeysPerSecond(150);
        }
        return builder.build();
    }

    /** Parallelism 3, a checkpoint every 500 ms, restored from {@code savepoint} if not null. */
    private static StreamExecutionEnvironment environment(@Nullable String savepoint) {
        Configuration configuration = new Configuration();
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            configuration.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(3);
        env.enableCheckpointing(500);
        return env;
    }

    private void apply(TopologyChange change, String primary) {
        switch (change) {
            case PLANNED_FAILOVER:
                cluster.failover(primary);
                break;
            case KILLED_PRIMARY:
                cluster.killPrimary(primary);
                break;
            default:
                cluster.moveSlots(primary, other(primary), 1500);
        }
    }

    private String other(String primary) {
        for (String candidate : cluster.primaries()) {
            if (!candidate.equals(primary)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No other primary than " + primary);
    }

    private static long gaps(JobID job) {
        return REPORTER.findJobMetricGroups(job, "redisGaps").stream()
                .filter(found -> found.f2 instanceof Counter)
                .mapToLong(found -> ((Counter) found.f2).getCount())
                .sum();
    }

    private static long restarts(JobID job) {
        return REPORTER.findJobMetricGroups(job, "numRestarts").stream()
                .filter(found -> found.f2 instanceof Gauge)
                .mapToLong(found -> ((Number) ((Gauge<?>) found.f2).getValue()).longValue())
                .max()
                .orElse(0);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Conditions.await(what, CONVERGE, condition);
    }

    /** Cancels {@code job} and waits for its output's collector to end. */
    private static void stop(JobClient job, CloseableIterator<RedisRecord> it, SourceOutput output)
            throws Exception {
        job.cancel();
        it.close();
        output.join();
    }
}
