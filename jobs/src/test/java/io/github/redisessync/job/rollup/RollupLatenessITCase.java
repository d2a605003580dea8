package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.Metrics;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.OrdersIndex;
import io.github.redisessync.job.testing.SyncJobs;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lateness in a real job (Redis source with a keyspace tail, event-time watermarks, Elasticsearch):
 * a snapshot of orders whose times are in no order (SCAN reads them in hash order) is counted
 * whole, none dropped, because the watermark is held until the scan is done; after it, an order in
 * a minute the watermark has closed is dropped, counted in {@code rollupLateDropped}, and leaves
 * its minute's rollup document as it was. Parallelism 2 on one Redis node: the source subtask
 * without a split gives a rollup watermark subtask without data, which goes idle.
 */
class RollupLatenessITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    private static final long T0 = RollupOperatorsTest.T0;
    private static final int ORDERS = 400;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void dropsAndCountsALateOrderButNoneOfAnOutOfOrderSnapshot() throws Exception {
        String prefix = TestServices.uniqueName("late") + ":order:";
        String orders = TestServices.uniqueName("orders");
        String rollupIndex = TestServices.uniqueName("order-rollups");
        String es = TestServices.elasticsearch().url();
        RollupSpec spec =
                RollupSpec.builder("orders_per_minute")
                        .sourceIndex(orders)
                        .targetIndex(rollupIndex)
                        .timeField("created_at")
                        .window(Duration.ofMinutes(1))
                        .groupBy("status")
                        .metric(RollupMetric.count())
                        .metric(RollupMetric.parse("sum(amount)"))
                        .build();
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(es, Duration.ofSeconds(10))) {
            indexes.createIndexIfAbsent(
                    rollupIndex,
                    IndexDefinition.parse(
                            "{\"mappings\":{\"properties\":{\"window_start\":{\"type\":\"date\"},"
                                    + "\"status\":{\"type\":\"keyword\"}}}}",
                            "rollups"));
        }
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        JobClient job = null;
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            // Ten minutes of orders, written in shuffled time order and scanned in hash order.
            List<Integer> seconds = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                seconds.add(i * 600 / ORDERS);
            }
            Collections.shuffle(seconds, new Random(7));
            for (int i = 0; i < ORDERS; i++) {
                redis.hset(prefix + i, order(T0 + seconds.get(i) * 1000L, i % 2 == 0, 1));
            }
            SyncJobSetup settings =
                    TestSetups.builder(
                                    TestServices.redis().uri(),
                                    es,
                                    List.of(OrdersIndex.rule(prefix, orders)))
                            .scanCount(50)
                            .readBatchSize(50)
                            .checkpointInterval(Duration.ofMillis(500))
                            .tail(RedisTailMode.KEYSPACE, "unused", true)
                            .rollups(List.of(spec))
                            .build();
            SyncJobFactory.prepareIndexes(settings);
            job = SyncJobs.start(settings, "rollup lateness");
            JobID id = job.getJobID();
            SearchClient search = new SearchClient(es);

            Await.until(
                    "the snapshot's rollups",
                    TIMEOUT,
                    () -> totalCount(search, rollupIndex) == ORDERS);
            assertThat(Metrics.counter(REPORTER, id, "rollupLateDropped"))
                    .as("late drops in the snapshot")
                    .isZero();
            Map<String, JsonNode> afterSnapshot = search.allDocuments(rollupIndex);
            assertThat(afterSnapshot).hasSize(20); // 10 minutes, 2 statuses

            // An order an hour later moves the watermark past every minute of the snapshot ...
            redis.hset(prefix + "future", order(T0 + 3_600_000, true, 5));
            String futureId =
                    RollupContributions.documentId(spec, T0 + 3_600_000, new String[] {"paid"});
            Await.until(
                    "the future order's rollup",
                    TIMEOUT,
                    () -> count(search, rollupIndex, futureId) == 1);
            // Every rollup subtask's watermark (the idle one left out) has passed it ...
            Await.until(
                    "the rollup watermark to pass the snapshot",
                    TIMEOUT,
                    () -> contributionsWatermark() >= T0 + 3_600_000 - 1);
            // ... so a new order in the first minute is late: dropped and counted.
            redis.hset(prefix + "late", order(T0 + 1_000, true, 7));
            Await.until(
                    "the late drop to be counted",
                    TIMEOUT,
                    () -> Metrics.counter(REPORTER, id, "rollupLateDropped") >= 1);
            // A second order after it, once in Elasticsearch, shows the late one was processed.
            redis.hset(prefix + "future2", order(T0 + 3_600_000, true, 5));
            Await.until(
                    "the second future order",
                    TIMEOUT,
                    () -> count(search, rollupIndex, futureId) == 2);

            assertThat(Metrics.counter(REPORTER, id, "rollupLateDropped")).isEqualTo(1);
            String firstMinute = RollupContributions.documentId(spec, T0, new String[] {"paid"});
            assertThat(search.allDocuments(rollupIndex).get(firstMinute))
                    .as("the first minute's rollup, without the late order")
                    .isEqualTo(afterSnapshot.get(firstMinute));
            assertThat(search.allDocuments(orders)).containsKey("late");
        } finally {
            if (job != null) {
                job.cancel().get();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static Map<String, String> order(long createdAt, boolean paid, int amount) {
        return Map.of(
                "created_at",
                Instant.ofEpochMilli(createdAt).toString(),
                "status",
                paid ? "paid" : "new",
                "amount",
                amount + ".25");
    }

    private static long totalCount(SearchClient search, String index) {
        try {
            return search.allDocuments(index).values().stream()
                    .mapToLong(d -> d.get("count").asLong())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(SearchClient search, String index, String id) {
        try {
            JsonNode document = search.allDocuments(index).get(id);
            return document == null ? 0 : document.get("count").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The least input watermark of the rollup-contributions subtasks (Flink's own gauge). */
    private static long contributionsWatermark() {
        return REPORTER.getMetricsByGroup().entrySet().stream()
                .filter(
                        e ->
                                Arrays.asList(e.getKey().getScopeComponents())
                                        .contains("rollup-contributions"))
                .map(e -> e.getValue().get("currentInputWatermark"))
                .filter(metric -> metric instanceof Gauge)
                .mapToLong(metric -> ((Number) ((Gauge<?>) metric).getValue()).longValue())
                .min()
                .orElse(Long.MIN_VALUE);
    }
}
