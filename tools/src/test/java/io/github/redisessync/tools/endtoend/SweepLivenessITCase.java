package io.github.redisessync.tools.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.ElasticsearchRestClients;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.rollup.RollupMetric;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.job.testing.Await;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous job with windowed rollups and a writer changing keys must keep taking checkpoints
 * across the sweep that follows its fresh start's snapshot. The sweep waits for a checkpoint; the
 * writer's changes move the source's watermark on every read. When the sweep waited inside an
 * operator chained to the source (an async operator whose bounded queue also held the watermarks),
 * the watermarks filled the queue behind the waiting marker, the source's mailbox blocked, and the
 * checkpoint the sweep waited for never came: the job said RUNNING and synced nothing more, for
 * good.
 */
class SweepLivenessITCase {

    private static final Logger LOG = LoggerFactory.getLogger(SweepLivenessITCase.class);
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    private static final int KEYS = 2_000;
    private static final int WRITES_PER_SECOND = 300;
    private static final Duration WRITING = Duration.ofSeconds(25);
    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final String[] STATUSES = {"new", "paid", "shipped", "cancelled"};

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void checkpointsKeepCompletingThroughTheSweepWhileWritersChangeKeys() throws Exception {
        String prefix = TestServices.uniqueName("liveness") + ":order:";
        String orders = TestServices.uniqueName("liveness-orders");
        String rollups = TestServices.uniqueName("liveness-rollups");
        List<RollupSpec> specs = rollups(orders, rollups);
        SyncJobSetup settings =
                TestSetups.builder(
                                TestServices.redis().uri(),
                                TestServices.elasticsearch().url(),
                                List.of(OrdersIndex.rule(prefix, orders)))
                        .scanCount(200)
                        .readBatchSize(200)
                        .checkpointInterval(Duration.ofSeconds(1))
                        .tail(RedisTailMode.KEYSPACE, "unused", true)
                        .rollups(specs)
                        .build();
        SyncJobFactory.prepareIndexes(settings);
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
                RestClient rest =
                        ElasticsearchRestClients.create(
                                TestServices.elasticsearch().url(),
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(30))) {
            RedisCommands<String, String> redis = connection.sync();
            Random random = new Random(11);
            for (int i = 0; i < KEYS; i++) {
                write(redis, prefix, i, random);
            }

            JobClient job = SyncJobs.start(settings, "sweep liveness");
            try {
                CompletableFuture<Integer> writer =
                        CompletableFuture.supplyAsync(() -> writeFor(client, prefix, WRITING));
                // The sweep of the fresh start runs after the first checkpoint that follows
                // its snapshot; under the writer, a blocked chain takes that checkpoint never.
                Await.until(
                        "the fresh start's sweep, with the writer on",
                        Duration.ofSeconds(60),
                        Duration.ofMillis(200),
                        () -> Metrics.counter(REPORTER, job.getJobID(), "catchUpSweeps") >= 1);
                double afterSweep = completedCheckpoints(job);
                Await.until(
                        "five more completed checkpoints after the sweep, with the writer on",
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200),
                        () -> completedCheckpoints(job) >= afterSweep + 5);
                assertThat(writer.isDone())
                        .as("the writer still writes while the checkpoints complete")
                        .isFalse();
                int writes = writer.get(2, TimeUnit.MINUTES);

                // A change made by hand after the writer stopped arrives too.
                redis.hset(prefix + "probe", order(0, "probe", "1.00"));
                Await.until(
                        "the probe document",
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200),
                        () -> exists(rest, orders, "probe"));
                long started = System.nanoTime();
                SyncedState.awaitDocumentsAndRollups(
                        "after the writer",
                        settings,
                        new RollupSource(rest),
                        specs,
                        orders,
                        Duration.ofSeconds(90));
                LOG.info(
                        "{} writes; equal {} ms after the probe arrived; {} checkpoints",
                        writes,
                        (System.nanoTime() - started) / 1_000_000,
                        completedCheckpoints(job));
            } finally {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static double completedCheckpoints(JobClient job) {
        return Metrics.maxGauge(REPORTER, job.getJobID(), "numberOfCompletedCheckpoints");
    }

    /** Updates, deletes and re-creates orders at a fixed rate; returns how many writes it made. */
    private static int writeFor(RedisClient client, String prefix, Duration duration) {
        Random random = new Random(42);
        long period = TimeUnit.SECONDS.toNanos(1) / WRITES_PER_SECOND;
        long start = System.nanoTime();
        int writes = 0;
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            while (System.nanoTime() - start < duration.toNanos()) {
                int i = random.nextInt(KEYS + KEYS / 10);
                if (random.nextInt(10) == 0) {
                    redis.del(prefix + i);
                } else {
                    write(redis, prefix, i, random);
                }
                writes++;
                long next = start + writes * period;
                LockSupport.parkNanos(next - System.nanoTime()); // paces the writer
            }
        }
        return writes;
    }

    private static void write(
            RedisCommands<String, String> redis, String prefix, int i, Random random) {
        redis.hset(
                prefix + i,
                order(
                        i,
                        STATUSES[random.nextInt(STATUSES.length)],
                        random.nextInt(1000) + "." + random.nextInt(10) + "5"));
    }

    /** Order {@code i}: a time in the first ten minutes after T0 by its number. */
    private static Map<String, String> order(int i, String status, String amount) {
        return Map.of(
                "created_at",
                Instant.ofEpochMilli(T0 + (i * 7_919L) % 600_000).toString(),
                "status",
                status,
                "amount",
                amount);
    }

    private static boolean exists(RestClient rest, String index, String id) {
        try {
            Request request = new Request("GET", "/" + index + "/_doc/" + id);
            return EntityUtils.toString(rest.performRequest(request).getEntity())
                    .contains("\"found\":true");
        } catch (ResponseException notFound) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<RollupSpec> rollups(String orders, String rollups) {
        return List.of(
                RollupSpec.builder("liveness_orders_per_minute")
                        .sourceIndex(orders)
                        .targetIndex(rollups)
                        .timeField("created_at")
                        .window(Duration.ofMinutes(1))
                        .groupBy("status")
                        .metric(RollupMetric.count())
                        .metric(RollupMetric.parse("sum(amount)"))
                        .allowedLateness(Duration.ofDays(3650))
                        .build());
    }
}
