package io.github.redisessync.tools.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.ElasticsearchRestClients;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.rollup.RollupMetric;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.Checkpoints;
import io.github.redisessync.job.testing.Metrics;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.OrdersIndex;
import io.github.redisessync.job.testing.SyncJobs;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.github.redisessync.tools.client.RollupSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acceptance on real Redis and Elasticsearch through the real job (snapshot, keyspace tail,
 * event-time watermarks): a mixed workload of creates, updates that move orders to another status
 * and another minute, amount changes and deletes, with times in no order (late, within the allowed
 * lateness). Once quiet, every rollup document equals the live aggregation over the synced orders
 * for its window and group, and no document exists for an empty group (the report's comparison).
 * The job is then cancelled after a completed checkpoint, the workload goes on while it is down,
 * and the job restored from the retained checkpoint ends equal again.
 */
class RollupRestoreITCase {

    private static final Logger LOG = LoggerFactory.getLogger(RollupRestoreITCase.class);
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.twoSlots(REPORTER.addToConfiguration(retainCheckpoints()));

    /** The start of a one-minute window, as in the job's rollup tests. */
    private static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();

    /**
     * A cluster setting: keeps the checkpoint chosen as restore point while later ones complete.
     */
    private static Configuration retainCheckpoints() {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 10_000);
        return config;
    }

    private static final String[] STATUSES = {"new", "paid", "shipped"};
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir Path checkpoints;

    @Test
    void rollupsEqualTheAggregationAfterAMixedWorkload() throws Exception {
        run(false);
    }

    /**
     * A restore rolls the rollup state back to the checkpoint while Elasticsearch keeps what the
     * first run wrote after it, and the source rescans Redis instead of replaying the changes in
     * between: deletes, moves back and forth, groups emptied. The rollups must still end equal.
     */
    @Test
    void rollupsEqualTheAggregationAfterARestoreMidWorkload() throws Exception {
        run(true);
    }

    private void run(boolean restore) throws Exception {
        String prefix = TestServices.uniqueName("restore") + ":order:";
        String orders = TestServices.uniqueName("orders");
        String rollupIndex = TestServices.uniqueName("order-rollups");
        String es = TestServices.elasticsearch().url();
        List<RollupSpec> specs =
                List.of(
                        RollupSpec.builder("orders_per_minute")
                                .sourceIndex(orders)
                                .targetIndex(rollupIndex)
                                .timeField("created_at")
                                .window(Duration.ofMinutes(1))
                                .groupBy("status")
                                .metric(RollupMetric.count())
                                .metric(RollupMetric.parse("sum(amount)"))
                                .metric(RollupMetric.parse("min(amount)"))
                                .metric(RollupMetric.parse("max(amount)"))
                                .allowedLateness(Duration.ofMinutes(30))
                                .build(),
                        RollupSpec.builder("orders_by_status")
                                .sourceIndex(orders)
                                .targetIndex(rollupIndex)
                                .groupBy("status")
                                .metric(RollupMetric.parse("avg(amount)"))
                                .build());
        SyncJobSetup settings =
                TestSetups.builder(
                                TestServices.redis().uri(),
                                es,
                                List.of(OrdersIndex.rule(prefix, orders)))
                        .scanCount(100)
                        .readBatchSize(100)
                        .checkpointInterval(Duration.ofMillis(500))
                        .tail(RedisTailMode.KEYSPACE, "unused", true)
                        .rollups(specs)
                        .build();
        SyncJobFactory.prepareIndexes(settings);
        Configuration config = Checkpoints.retainedOnCancellation(checkpoints);
        Random random = new Random(11);
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
                RestClient rest =
                        ElasticsearchRestClients.create(
                                es, Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            RedisCommands<String, String> redis = connection.sync();
            workload(redis, prefix, random, 300, 300); // the snapshot: creates only
            JobClient first = SyncJobs.start(settings, config, "rollups: first run");
            workload(redis, prefix, random, 300, 400); // tail: creates, moves, deletes
            RollupSource source = new RollupSource(rest);
            SyncedState.awaitDocumentsAndRollups(
                    "the first run", settings, source, specs, orders, TIMEOUT);
            if (!restore) {
                first.cancel().get();
                assertThat(Metrics.counter(REPORTER, "rollupLateDropped"))
                        .as("late drops")
                        .isZero();
                return;
            }

            long checkpointsBefore = completedCheckpoints(first);
            workload(redis, prefix, random, 300, 200);
            Await.until(
                    "a checkpoint mid-workload",
                    TIMEOUT,
                    () -> completedCheckpoints(first) > checkpointsBefore);
            // The restore point; what follows is processed and written after it, as when a job
            // fails some time after its last checkpoint (later checkpoints are not used).
            Path checkpoint = Checkpoints.latest(checkpoints, first.getJobID());
            workload(redis, prefix, random, 300, 200);
            SyncedState.awaitDocuments("the first run, after the checkpoint", settings, TIMEOUT);
            first.cancel().get();
            Await.until(
                    "the cancel",
                    TIMEOUT,
                    () -> first.getJobStatus().join().isGloballyTerminalState());
            workload(redis, prefix, random, 300, 200); // while the job is down

            config.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
            JobClient second = SyncJobs.start(settings, config, "rollups: restored run");
            try {
                workload(redis, prefix, random, 300, 200);
                SyncedState.awaitDocumentsAndRollups(
                        "the restored run", settings, source, specs, orders, TIMEOUT);
                assertThat(Metrics.counter(REPORTER, second.getJobID(), "catchUpSweeps"))
                        .as("sweeps after the catch-up")
                        .isPositive();
            } finally {
                second.cancel().get();
            }
            assertThat(Metrics.counter(REPORTER, "rollupLateDropped")).as("late drops").isZero();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * {@code operations} random changes to {@code keys} orders: 1 in 6 a delete, else a write of a
     * status, a time anywhere in ten minutes (in no order) and an amount, or no amount.
     */
    private static void workload(
            RedisCommands<String, String> redis,
            String prefix,
            Random random,
            int keys,
            int operations) {
        for (int i = 0; i < operations; i++) {
            String key = prefix + random.nextInt(keys);
            if (random.nextInt(6) == 0) {
                redis.del(key);
                continue;
            }
            redis.hset(
                    key,
                    Map.of(
                            "created_at",
                            Instant.ofEpochMilli(T0 + random.nextInt(600_000)).toString(),
                            "status",
                            STATUSES[random.nextInt(STATUSES.length)]));
            if (random.nextInt(10) == 0) {
                redis.hdel(key, "amount");
            } else {
                redis.hset(key, "amount", random.nextInt(100_000) / 100.0 + "");
            }
        }
    }

    /** Of this job only: the reporter keeps the metrics of this class's earlier jobs too. */
    private static long completedCheckpoints(JobClient job) {
        return (long) Metrics.maxGauge(REPORTER, job.getJobID(), "numberOfCompletedCheckpoints");
    }
}
