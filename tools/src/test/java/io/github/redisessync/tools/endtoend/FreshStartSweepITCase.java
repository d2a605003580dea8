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
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job started fresh (no checkpoint restored) against indexes that an earlier run filled: keys
 * deleted and rollup groups emptied while no job ran must not survive in Elasticsearch. The first
 * scan of a fresh, unbounded, tailing start ends with a catch-up marker, so the job sweeps once
 * after its snapshot. A bounded run (stop when idle, as {@code local --until-synced}) emits no such
 * marker and still finishes promptly.
 */
class FreshStartSweepITCase {

    private static final Logger LOG = LoggerFactory.getLogger(FreshStartSweepITCase.class);
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    private static final int KEYS = 1_000;

    /** Keys {@code 0 .. RARE-1} are the only ones of status {@code rare}. */
    private static final int RARE = 10;

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final String[] STATUSES = {"new", "paid", "shipped"};
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void aFreshStartSweepsWhatWasDeletedWhileNoJobRan() throws Exception {
        String prefix = TestServices.uniqueName("fresh") + ":order:";
        String orders = TestServices.uniqueName("fresh-orders");
        String rollups = TestServices.uniqueName("fresh-rollups");
        List<RollupSpec> specs = rollups(orders, rollups);
        SyncJobSetup settings =
                settings(prefix, orders)
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
            for (int i = 0; i < KEYS; i++) {
                write(redis, prefix, i, i < RARE ? "rare" : STATUSES[i % STATUSES.length]);
            }
            RollupSource source = new RollupSource(rest);

            JobClient first = SyncJobs.start(settings, "fresh start: first run");
            try {
                SyncedState.awaitDocumentsAndRollups(
                        "the first run", settings, source, specs, orders, TIMEOUT);
                assertThat(count(rest, rollups, "status:rare"))
                        .as("rollup documents of the group 'rare' after the first run")
                        .isPositive();
            } finally {
                first.cancel().get();
            }
            Await.until(
                    "the cancel",
                    TIMEOUT,
                    () -> first.getJobStatus().join().isGloballyTerminalState());

            // While no job runs: the group 'rare' empties, one key in 10 goes, 50 orders move.
            int deleted = 0;
            for (int i = 0; i < KEYS; i++) {
                if (i < RARE || i % 10 == 5) {
                    redis.del(prefix + i);
                    deleted++;
                } else if (i % 20 == 7) {
                    write(redis, prefix, i, "paid");
                }
            }

            // Started without a checkpoint or savepoint: a fresh start.
            long started = System.nanoTime();
            JobClient second = SyncJobs.start(settings, "fresh start: second run");
            try {
                // Only a sweep deletes the documents of keys deleted while no job ran.
                SyncedState.awaitDocumentsAndRollups(
                        "the fresh start", settings, source, specs, orders, TIMEOUT);
                LOG.info(
                        "The fresh start converged in {} ms",
                        (System.nanoTime() - started) / 1_000_000);
                assertThat(count(rest, rollups, "status:rare"))
                        .as("rollup documents of the emptied group 'rare'")
                        .isZero();
                assertThat(Metrics.counter(REPORTER, second.getJobID(), "catchUpSweeps"))
                        .as("sweeps of the fresh start: one, after its snapshot")
                        .isEqualTo(1);
                assertThat(Metrics.counter(REPORTER, second.getJobID(), "catchUpSweepDeletes"))
                        .as("documents of keys deleted while no job ran")
                        .isEqualTo(deleted);
                assertThat(Metrics.counter(REPORTER, second.getJobID(), "redisGaps"))
                        .as("a fresh start is no gap")
                        .isZero();
            } finally {
                second.cancel().get();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * Stop when idle (what {@code local --until-synced} runs) is bounded: no marker, so no sweep
     * waits for a checkpoint that a finishing job would not take, and the job ends at once. The
     * documents of keys that are gone stay (the README says so; {@code verify --repair}).
     */
    @Test
    void aBoundedRunEmitsNoMarkerAndFinishesPromptly() throws Exception {
        String prefix = TestServices.uniqueName("bounded") + ":order:";
        String orders = TestServices.uniqueName("bounded-orders");
        SyncJobSetup settings =
                settings(prefix, orders)
                        .tail(RedisTailMode.KEYSPACE, "unused", true)
                        .stopWhenIdle(true)
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
            for (int i = 0; i < 200; i++) {
                write(redis, prefix, i, STATUSES[i % STATUSES.length]);
            }
            // A document an earlier run left behind for a key deleted since.
            Request ghost = new Request("PUT", "/" + orders + "/_doc/ghost");
            ghost.addParameter("refresh", "true");
            ghost.setJsonEntity("{\"status\":\"gone\"}");
            rest.performRequest(ghost);

            long started = System.nanoTime();
            JobClient job = SyncJobs.start(settings, "fresh start: bounded run");
            job.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.info("The bounded run finished in {} ms", millis);

            assertThat(Metrics.counter(REPORTER, job.getJobID(), "catchUpSweeps"))
                    .as("sweeps of a bounded run")
                    .isZero();
            assertThat(count(rest, orders, "status:gone")).as("the ghost document").isEqualTo(1);
            assertThat(count(rest, orders, "status:*")).isEqualTo(201);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static List<RollupSpec> rollups(String orders, String rollups) {
        return List.of(
                RollupSpec.builder("fresh_orders_by_status")
                        .sourceIndex(orders)
                        .targetIndex(rollups)
                        .groupBy("status")
                        .metric(RollupMetric.count())
                        .metric(RollupMetric.parse("sum(amount)"))
                        .build(),
                RollupSpec.builder("fresh_orders_per_minute")
                        .sourceIndex(orders)
                        .targetIndex(rollups)
                        .timeField("created_at")
                        .window(Duration.ofMinutes(1))
                        .groupBy("status")
                        .metric(RollupMetric.count())
                        .metric(RollupMetric.parse("max(amount)"))
                        .allowedLateness(Duration.ofMinutes(30))
                        .build());
    }

    private static TestSetups.Builder settings(String prefix, String orders) {
        return TestSetups.builder(
                        TestServices.redis().uri(),
                        TestServices.elasticsearch().url(),
                        List.of(OrdersIndex.rule(prefix, orders)))
                .scanCount(100)
                .readBatchSize(100)
                .checkpointInterval(Duration.ofMillis(500));
    }

    /** Order {@code i}: a time in the first ten minutes after T0 by its number, and an amount. */
    private static void write(
            RedisCommands<String, String> redis, String prefix, int i, String status) {
        redis.hset(
                prefix + i,
                Map.of(
                        "created_at",
                        Instant.ofEpochMilli(T0 + (i * 7_919L) % 600_000).toString(),
                        "status",
                        status,
                        "amount",
                        (i % 500) + ".25"));
    }

    private static long count(RestClient rest, String index, String query) throws Exception {
        rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
        Request request = new Request("GET", "/" + index + "/_count");
        request.addParameter("q", query);
        String body = EntityUtils.toString(rest.performRequest(request).getEntity());
        return Long.parseLong(body.replaceAll(".*\"count\":(\\d+).*", "$1"));
    }
}
