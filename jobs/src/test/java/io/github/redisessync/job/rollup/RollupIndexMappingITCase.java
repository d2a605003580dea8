package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.config.ConfigLoader;
import io.github.redisessync.job.config.SettingsFactory;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollup index mapping file in {@code elasticsearch.mappings-dir}, named after the target index,
 * through the production path (YAML configuration, index setup, the whole job on real Redis and
 * Elasticsearch): the index is created with the file's settings and mappings, not the ones made
 * from the rollup, and the rollup documents are written into it, none refused by its strict
 * mapping.
 */
class RollupIndexMappingITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final long T0 = RollupOperatorsTest.T0;
    private static final String[] STATUSES = {"new", "paid", "shipped"};
    private static final int ORDERS = 90;

    @TempDir Path dir;

    @Test
    void theRollupIndexHasTheFilesSettingsAndMappingAndHoldsTheRollupDocuments() throws Exception {
        String prefix = TestServices.uniqueName("mapped-rollup");
        String orders = TestServices.uniqueName("orders");
        String rollupIndex = TestServices.uniqueName("order-minutes");
        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(
                mappings.resolve(orders + ".json"),
                "{\"mappings\":{\"properties\":{\"created_at\":{\"type\":\"date\"},"
                        + "\"status\":{\"type\":\"keyword\"},\"amount\":{\"type\":\"double\"}}}}");
        Files.writeString(
                mappings.resolve(rollupIndex + ".json"),
                "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0,"
                        + "\"refresh_interval\":\"2s\"},"
                        + "\"mappings\":{\"dynamic\":\"strict\",\"_meta\":{\"owner\":\"it\"},"
                        + "\"properties\":{"
                        + "\"rollup\":{\"type\":\"keyword\"},"
                        + "\"window_start\":{\"type\":\"date\"},"
                        + "\"window_end\":{\"type\":\"date\"},"
                        + "\"status\":{\"type\":\"keyword\",\"ignore_above\":32},"
                        + "\"count\":{\"type\":\"integer\"},"
                        + "\"sum_amount\":{\"type\":\"scaled_float\",\"scaling_factor\":100}}}}");
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(
                yaml,
                "elasticsearch: {mappings-dir: mappings}\n"
                        + "source: {tail: none}\n"
                        + "mappings:\n"
                        + "  - {pattern: '"
                        + prefix
                        + ":order:{id}', index: "
                        + orders
                        + "}\n"
                        + "rollups:\n"
                        + "  - name: orders_per_minute\n"
                        + "    source-index: "
                        + orders
                        + "\n    target-index: "
                        + rollupIndex
                        + "\n    time-field: created_at\n"
                        + "    window: 1min\n"
                        + "    group-by: [status]\n"
                        + "    metrics: [count, sum(amount)]\n"
                        + "checkpoint: {interval: 500ms}\n");
        String es = TestServices.elasticsearch().url();
        SyncJobSetup settings =
                new SettingsFactory(ConfigLoader.read(yaml).load(), dir)
                        .settings(TestServices.redis().uri(), es, true);

        // Ten seconds apart: six orders a minute over fifteen minutes, in turn by status.
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, BigDecimal> sums = new HashMap<>();
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            for (int i = 0; i < ORDERS; i++) {
                long at = T0 + i * 10_000L;
                String status = STATUSES[i % STATUSES.length];
                String amount = i + ".25";
                redis.sync()
                        .hset(
                                prefix + ":order:" + i,
                                Map.of(
                                        "created_at", Instant.ofEpochMilli(at).toString(),
                                        "status", status,
                                        "amount", amount));
                String key = Instant.ofEpochMilli(at - at % 60_000).toString() + "|" + status;
                counts.merge(key, 1, Integer::sum);
                sums.merge(key, new BigDecimal(amount), BigDecimal::add);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        SyncJobFactory.prepareIndexes(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        env.execute("rollup index from a mapping file");

        SearchClient search = new SearchClient(es);
        JsonNode indexSettings =
                search.send("GET", "/" + rollupIndex + "/_settings", null)
                        .path(rollupIndex)
                        .path("settings")
                        .path("index");
        assertThat(indexSettings.path("number_of_shards").asText()).isEqualTo("2");
        assertThat(indexSettings.path("number_of_replicas").asText()).isEqualTo("0");
        assertThat(indexSettings.path("refresh_interval").asText()).isEqualTo("2s");
        JsonNode mapping =
                search.send("GET", "/" + rollupIndex + "/_mapping", null)
                        .path(rollupIndex)
                        .path("mappings");
        assertThat(mapping.path("dynamic").asText()).isEqualTo("strict");
        assertThat(mapping.path("_meta").path("owner").asText()).isEqualTo("it");
        JsonNode properties = mapping.path("properties");
        assertThat(properties.path("status").path("ignore_above").asInt()).isEqualTo(32);
        assertThat(properties.path("count").path("type").asText()).isEqualTo("integer");
        assertThat(properties.path("sum_amount").path("type").asText()).isEqualTo("scaled_float");
        assertThat(properties.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "rollup", "window_start", "window_end", "status", "count", "sum_amount");

        // Every window and status, each document as the rollup computes it: none was refused.
        Map<String, JsonNode> documents = search.allDocuments(rollupIndex);
        assertThat(documents).hasSize(counts.size());
        for (JsonNode document : documents.values()) {
            String key =
                    document.path("window_start").asText() + "|" + document.path("status").asText();
            assertThat(document.path("rollup").asText()).isEqualTo("orders_per_minute");
            assertThat(document.path("count").asInt()).as(key).isEqualTo(counts.get(key));
            assertThat(document.path("sum_amount").decimalValue())
                    .as(key)
                    .isEqualByComparingTo(sums.get(key));
        }
    }
}
