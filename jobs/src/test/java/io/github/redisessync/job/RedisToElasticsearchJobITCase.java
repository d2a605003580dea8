package io.github.redisessync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole job, on real Redis and Elasticsearch, in a MiniCluster with checkpointing on. */
class RedisToElasticsearchJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final IndexDefinition USERS_MAPPING =
            IndexDefinition.parse(
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                            + "\"mappings\":{\"properties\":{"
                            + "\"age\":{\"type\":\"integer\"},\"score\":{\"type\":\"double\"},"
                            + "\"active\":{\"type\":\"boolean\"},\"signup_at\":{\"type\":\"date\"}}}}",
                    "users test mapping");

    private static RedisClient client;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestServices.redis().uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void disconnect() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void syncsEveryHashFieldByFieldAndDeadLettersTheBadOne() throws Exception {
        String prefix = "it-" + UUID.randomUUID() + ":user:";
        String index = "users-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Map<String, String>> written = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            Map<String, String> user = new LinkedHashMap<>();
            user.put("name", i % 3 == 0 ? "Zoë Ødegaard-" + i : "李娜 Ярослава " + i);
            user.put("city", i % 2 == 0 ? "São Paulo" : "Kraków");
            user.put("age", String.valueOf(18 + i % 70));
            user.put("score", i + ".50");
            user.put("active", String.valueOf(i % 2 == 0));
            user.put("signup_at", "2024-03-0" + (1 + i % 9) + "T10:15:30Z");
            written.put(prefix + i, user);
        }
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("empty", "");
        awkward.put("zip", "007");
        awkward.put("phone", "+4912345");
        awkward.put("exp", "1e3");
        awkward.put("quote", "she said \"hi\"\nand left\t😀");
        awkward.put("age", "0");
        written.put(prefix + "awkward", awkward);
        Map<String, String> wide = new LinkedHashMap<>();
        for (int f = 0; f < 150; f++) {
            wide.put("field_" + f, f % 2 == 0 ? "välue " + f : String.valueOf(f * 7));
        }
        written.put(prefix + "wide", wide);
        written.forEach(redis::hset);
        // Not an integer where the mapping says integer: dead-lettered, and the job keeps going.
        redis.hset(prefix + "bad", Map.of("name", "Bad Age", "age", "old"));

        SyncJobSetup settings =
                TestSetups.of(
                        TestServices.redis().uri(),
                        TestServices.elasticsearch().url(),
                        List.of(new IndexRule(KeyPattern.of(prefix + "*"), index, USERS_MAPPING)),
                        100,
                        50,
                        Duration.ofMillis(500));
        SyncJobFactory.prepareIndexes(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        JobExecutionResult result = env.execute("sync test");

        assertThat((Long) result.getAccumulatorResult(RecordMappingFunction.KEYS_READ))
                .isEqualTo(written.size() + 1L);
        assertThat((Long) result.getAccumulatorResult(RecordMappingFunction.DEAD_LETTER_COUNT))
                .isEqualTo(1L);

        Map<String, JsonNode> documents =
                new SearchClient(TestServices.elasticsearch().url()).allDocuments(index);
        assertThat(documents).hasSize(written.size()).doesNotContainKey("bad");
        for (Map.Entry<String, Map<String, String>> entry : written.entrySet()) {
            String id = entry.getKey().substring(prefix.length());
            // Compare with what Redis holds now, not with what the test meant to write.
            Map<String, String> inRedis = redis.hgetall(entry.getKey());
            assertThat(inRedis).isEqualTo(entry.getValue());
            assertThat(documents).containsKey(id);
            assertSameFields(id, documents.get(id), inRedis);
        }
        // Typed where the mapping says so, as strings elsewhere.
        JsonNode first = documents.get("0");
        assertThat(first.get("age").isIntegralNumber()).isTrue();
        assertThat(first.get("active").isBoolean()).isTrue();
        assertThat(first.get("score").isNumber()).isTrue();
        assertThat(documents.get("awkward").get("zip").isTextual()).isTrue();
    }

    /**
     * Every value with Redis's very text: the sink writes the mapped JSON as it is (3.50 stays).
     */
    private static void assertSameFields(String id, JsonNode document, Map<String, String> hash) {
        Map<String, String> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            String text = value.isTextual() ? value.asText() : value.toString();
            fields.put(field.getKey(), text);
        }
        assertThat(fields).as("document %s", id).isEqualTo(hash);
    }
}
