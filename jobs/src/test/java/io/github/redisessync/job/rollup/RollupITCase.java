package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import io.github.redisessync.job.mapping.SyncAction;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mixed workload on real Redis (creates, updates that move records between statuses and minutes,
 * amount changes, deletes, records older than others) read back as the source reads it, through the
 * job's mapper, the rollups and the job's sink half into a real Elasticsearch: every rollup
 * document equals the Elasticsearch aggregation over the synced documents for its window and group,
 * and no document exists for an empty group.
 */
class RollupITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final long T0 = RollupOperatorsTest.T0;
    private static final String[] STATUSES = {"new", "paid", "shipped", "a|b c/ü"};

    @Test
    void everyRollupDocumentEqualsTheElasticsearchAggregationOverTheSyncedDocuments()
            throws Exception {
        String prefix = TestServices.uniqueName("rollup") + ":order:";
        String orders = TestServices.uniqueName("orders");
        String rollups = TestServices.uniqueName("order-rollups");
        String es = TestServices.elasticsearch().url();
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(es, Duration.ofSeconds(10))) {
            indexes.createIndexIfAbsent(
                    orders,
                    IndexDefinition.parse(
                            "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                                    + "\"mappings\":{\"properties\":{"
                                    + "\"at\":{\"type\":\"date\"},"
                                    + "\"status\":{\"type\":\"keyword\"},"
                                    + "\"amount\":{\"type\":\"double\"}}}}",
                            "orders test mapping"));
            indexes.createIndexIfAbsent(
                    rollups,
                    IndexDefinition.parse(
                            "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                                    + "\"mappings\":{\"properties\":{"
                                    + "\"window_start\":{\"type\":\"date\"},"
                                    + "\"status\":{\"type\":\"keyword\"}}}}",
                            "rollups test mapping"));
        }
        RollupSpec spec =
                RollupSpec.builder("orders_per_minute")
                        .sourceIndex(orders)
                        .targetIndex(rollups)
                        .timeField("at")
                        .window(Duration.ofMinutes(1))
                        .groupBy("status")
                        .metric(RollupMetric.count())
                        .metric(RollupMetric.parse("sum(amount)"))
                        .metric(RollupMetric.parse("avg(amount)"))
                        .metric(RollupMetric.parse("min(amount)"))
                        .metric(RollupMetric.parse("max(amount)"))
                        .build();

        List<RedisRecord> reads = runWorkload(prefix);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        // One reader, as the source reads one key in one split: reads of a key stay in order.
        SingleOutputStreamOperator<SyncAction> documents =
                env.fromData(reads, TypeInformation.of(RedisRecord.class))
                        .setParallelism(1)
                        .process(
                                new RecordMappingFunction(
                                        new RecordMapper(
                                                List.of(
                                                        new IndexRule(
                                                                KeyPattern.of(prefix + "*"),
                                                                orders,
                                                                IndexDefinition.parse(
                                                                        "{\"mappings\":{\"properties\":{"
                                                                                + "\"amount\":{\"type\":\"double\"}}}}",
                                                                        "orders"))))))
                        .setParallelism(1);
        Configuration sinkOptions = new Configuration();
        sinkOptions.set(ElasticsearchSinkOptions.HOSTS, List.of(es));
        RedisToElasticsearchJob.writeDocuments(
                RollupGraph.withRollups(documents, List.of(spec)),
                ElasticsearchDocumentSinkFactory.create(sinkOptions));
        env.execute("rollup test");

        SearchClient search = new SearchClient(es);
        Map<String, JsonNode> synced = search.allDocuments(orders);
        assertThat(synced).hasSize(countKeys(prefix + "*"));
        Map<String, JsonNode> expected = aggregateInElasticsearch(es, orders, spec);
        Map<String, JsonNode> actual = new TreeMap<>(search.allDocuments(rollups));
        assertThat(expected).hasSizeGreaterThan(4);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, JsonNode> entry : expected.entrySet()) {
            JsonNode want = entry.getValue();
            JsonNode got = actual.get(entry.getKey());
            assertThat(got.get("status").asText()).isEqualTo(want.get("status").asText());
            assertThat(got.get("window_start").asText())
                    .isEqualTo(want.get("window_start").asText());
            assertThat(got.get("count").asLong())
                    .as("count of %s", entry.getKey())
                    .isEqualTo(want.get("count").asLong());
            for (String metric : List.of("sum", "avg", "min", "max")) {
                String field = metric + "_amount";
                if (want.get(field).isNull()) {
                    assertThat(got.get(field).isNull() || got.get(field).asDouble() == 0)
                            .as("%s of %s", field, entry.getKey())
                            .isTrue();
                } else {
                    assertThat(got.get(field).asDouble())
                            .as("%s of %s", field, entry.getKey())
                            .isCloseTo(want.get(field).asDouble(), within(1e-9));
                }
            }
        }
    }

    /**
     * Changes Redis and, after each change, reads the key back with the server time, as the
     * source's tail does for a dirty key.
     */
    private static List<RedisRecord> runWorkload(String prefix) {
        Random random = new Random(42);
        List<RedisRecord> reads = new ArrayList<>();
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            for (int i = 0; i < 300; i++) {
                byte[] key = bytes(prefix + random.nextInt(40));
                if (random.nextInt(6) == 0) {
                    redis.del(key);
                } else {
                    Map<byte[], byte[]> fields = new LinkedHashMap<>();
                    // Times anywhere in six minutes, in no order: old minutes keep changing.
                    fields.put(bytes("at"), bytes(iso(T0 + random.nextInt(360_000))));
                    fields.put(bytes("status"), bytes(STATUSES[random.nextInt(STATUSES.length)]));
                    if (random.nextInt(10) > 0) {
                        fields.put(bytes("amount"), bytes(random.nextInt(2000) / 100.0 + ""));
                    } else {
                        redis.hdel(key, bytes("amount"));
                    }
                    redis.hset(key, fields);
                }
                reads.add(read(redis, key));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        return reads;
    }

    private static RedisRecord read(RedisCommands<byte[], byte[]> redis, byte[] key) {
        redis.multi();
        redis.hgetall(key);
        redis.time();
        TransactionResult replies = redis.exec();
        @SuppressWarnings("unchecked")
        Map<byte[], byte[]> hash = (Map<byte[], byte[]>) replies.get(0);
        @SuppressWarnings("unchecked")
        List<byte[]> time = (List<byte[]>) replies.get(1);
        long version =
                Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII)) * 1_000_000
                        + Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
        if (hash.isEmpty()) {
            return RedisRecord.delete(key, version, 0);
        }
        byte[][] values = new byte[hash.size() * 2][];
        int i = 0;
        for (Map.Entry<byte[], byte[]> field : hash.entrySet()) {
            values[i++] = field.getKey();
            values[i++] = field.getValue();
        }
        return RedisRecord.upsert(key, RedisDataType.HASH, values, version, -1, 0);
    }

    /**
     * The date_histogram + terms + metrics aggregation over {@code index}, as the rollup documents
     * would hold it, by rollup document id.
     */
    private static Map<String, JsonNode> aggregateInElasticsearch(
            String es, String index, RollupSpec spec) throws Exception {
        String body =
                "{\"size\":0,\"aggs\":{\"minutes\":{\"date_histogram\":{\"field\":\"at\","
                        + "\"fixed_interval\":\"1m\",\"min_doc_count\":1},"
                        + "\"aggs\":{\"status\":{\"terms\":{\"field\":\"status\",\"size\":100},"
                        + "\"aggs\":{\"sum\":{\"sum\":{\"field\":\"amount\"}},"
                        + "\"avg\":{\"avg\":{\"field\":\"amount\"}},"
                        + "\"min\":{\"min\":{\"field\":\"amount\"}},"
                        + "\"max\":{\"max\":{\"field\":\"amount\"}}}}}}}}";
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(es + "/" + index + "/_search"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> expected = new TreeMap<>();
        for (JsonNode minute : json.readTree(response.body()).at("/aggregations/minutes/buckets")) {
            long start = minute.get("key").asLong();
            for (JsonNode group : minute.at("/status/buckets")) {
                String status = group.get("key").asText();
                Map<String, Object> doc = new TreeMap<>();
                doc.put("window_start", Instant.ofEpochMilli(start).toString());
                doc.put("status", status);
                doc.put("count", group.get("doc_count").asLong());
                for (String metric : List.of("sum", "avg", "min", "max")) {
                    JsonNode value = group.at("/" + metric + "/value");
                    doc.put(metric + "_amount", value.isNull() ? null : value.asDouble());
                }
                expected.put(
                        RollupContributions.documentId(spec, start, new String[] {status}),
                        json.valueToTree(doc));
            }
        }
        return expected;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** SCAN, not KEYS: on a user's server ({@code REDIS_URL}) KEYS would block it for the count. */
    private static int countKeys(String pattern) {
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            int keys = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page =
                        redis.sync().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                keys += page.getKeys().size();
                cursor = page;
            } while (!cursor.isFinished());
            return keys;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
