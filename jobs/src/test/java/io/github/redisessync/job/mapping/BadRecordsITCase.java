package io.github.redisessync.job.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.config.ConfigLoader;
import io.github.redisessync.job.config.SettingsFactory;
import io.github.redisessync.job.deadletter.DeadLetter;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bad-data corpus ({@code bad-records/corpus.yaml}) among good records, through the whole job
 * on real Redis and Elasticsearch: each bad record is one dead letter with its key, reason and
 * counter; every good record is in Elasticsearch exactly as written, compared one by one.
 */
class BadRecordsITCase {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Queue<DeadLetter> DEAD_LETTERS = new ConcurrentLinkedQueue<>();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @Test
    void deadLettersEachBadRecordWithItsReasonAndSyncsEveryGoodOne() throws Exception {
        String run = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        ConfigLoader config = ConfigLoader.read(resource("bad-records/job.yaml"));
        for (int i = 0; i < 3; i++) {
            JsonNode mapping =
                    YAML.readTree(resource("bad-records/job.yaml").toFile())
                            .path("mappings")
                            .get(i);
            config.set(
                    List.of("mappings", i, "pattern"),
                    run + ":" + mapping.path("pattern").asText(),
                    "test");
            config.set(
                    List.of("mappings", i, "index"),
                    run + "-" + mapping.path("index").asText(),
                    "test");
        }
        SyncJobSetup settings =
                new SettingsFactory(config.load(), Path.of("."))
                        .settings(
                                TestServices.redis().uri(),
                                TestServices.elasticsearch().url(),
                                false);
        SyncJobFactory.prepareIndexes(settings);

        Map<String, Map<String, String>> goodUsers = new LinkedHashMap<>();
        Map<String, String> goodProducts = new LinkedHashMap<>();
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            for (int i = 0; i < 40; i++) {
                Map<String, String> user = new LinkedHashMap<>();
                user.put("name", i % 2 == 0 ? "Zoë " + i : "李娜 " + i);
                user.put("age", String.valueOf(20 + i));
                user.put("born", "19" + (50 + i) + "-0" + (1 + i % 9) + "-1" + (i % 9));
                user.put("prefs", "{\"lang\":\"pl\",\"n\":" + i + "}");
                goodUsers.put(run + ":user:" + i, user);
                hset(redis, run + ":user:" + i, user);
                String product =
                        "{\"name\":\"Lamp " + i + "\",\"price\":" + i + ".50,\"tags\":[\"a\"]}";
                goodProducts.put(run + ":product:sku-" + i, product);
                redis.set(bytes(run + ":product:sku-" + i), bytes(product));
            }
            for (JsonNode bad : YAML.readTree(resource("bad-records/corpus.yaml").toFile())) {
                write(redis, run, bad);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SyncJobFactory.configure(env, settings);
        new RedisToElasticsearchJob(
                        RedisSource.builder()
                                .setRedisUri(settings.redisUri())
                                .setKeyPatterns(
                                        settings.rules().stream()
                                                .map(r -> r.pattern().glob())
                                                .collect(Collectors.toList()))
                                .build(),
                        new RecordMapper(settings.rules()),
                        ElasticsearchDocumentSinkFactory.create(settings.sink()),
                        new CollectingSink())
                .addTo(env);
        JobExecutionResult result = env.execute("bad records");

        List<DeadLetter> letters =
                DEAD_LETTERS.stream()
                        .filter(l -> l.getKey().startsWith(run))
                        .collect(Collectors.toList());
        JsonNode corpus = YAML.readTree(resource("bad-records/corpus.yaml").toFile());
        assertThat(letters).hasSize(corpus.size());
        for (JsonNode bad : corpus) {
            String key = printableKey(run, bad);
            List<DeadLetter> mine =
                    letters.stream()
                            .filter(l -> l.getKey().equals(key))
                            .collect(Collectors.toList());
            assertThat(mine).as(bad.path("name").asText()).hasSize(1);
            assertThat(mine.get(0).getReasonCode())
                    .as(bad.path("name").asText())
                    .isEqualTo(bad.path("reason").asText());
            assertThat(mine.get(0).getReason())
                    .as(bad.path("name").asText())
                    .contains(bad.path("says").asText());
        }
        Map<String, Long> byReason =
                letters.stream()
                        .collect(
                                Collectors.groupingBy(
                                        DeadLetter::getReasonCode, Collectors.counting()));
        byReason.forEach(
                (reason, count) ->
                        assertThat(
                                        result.<Long>getAccumulatorResult(
                                                RecordMappingFunction.DEAD_LETTERS_PREFIX + reason))
                                .as(reason)
                                .isEqualTo(count));

        SearchClient es = new SearchClient(TestServices.elasticsearch().url());
        Map<String, JsonNode> users = es.allDocuments(run + "-users");
        assertThat(users).hasSize(goodUsers.size());
        goodUsers.forEach(
                (key, user) -> {
                    JsonNode doc = users.get(key.substring((run + ":user:").length()));
                    assertThat(doc).as(key).isNotNull();
                    assertThat(doc.path("name").asText()).isEqualTo(user.get("name"));
                    assertThat(doc.path("age").isNumber()).as(key).isTrue();
                    assertThat(doc.path("age").asLong()).isEqualTo(Long.parseLong(user.get("age")));
                    assertThat(doc.path("born").asText()).isEqualTo(user.get("born"));
                    assertThat(doc.path("prefs").path("lang").asText()).isEqualTo("pl");
                    assertThat(doc.path("prefs").path("n").asInt())
                            .isEqualTo(Integer.parseInt(user.get("age")) - 20);
                    assertThat(doc.size()).isEqualTo(4);
                });
        Map<String, JsonNode> products = es.allDocuments(run + "-products");
        assertThat(products).hasSize(goodProducts.size());
        for (Map.Entry<String, String> product : goodProducts.entrySet()) {
            JsonNode doc = products.get(product.getKey().substring((run + ":product:").length()));
            JsonNode expected = YAML.readTree(product.getValue());
            assertThat(doc).as(product.getKey()).isNotNull();
            assertThat(doc.path("name")).isEqualTo(expected.path("name"));
            assertThat(doc.path("tags")).isEqualTo(expected.path("tags"));
            assertThat(new BigDecimal(doc.path("price").asText()))
                    .isEqualByComparingTo(expected.path("price").asText());
            assertThat(doc.size()).isEqualTo(expected.size());
        }
        assertThat(es.allDocuments(run + "-notes")).isEmpty();
    }

    private static void write(RedisCommands<byte[], byte[]> redis, String run, JsonNode bad) {
        byte[] key = key(run, bad);
        switch (bad.path("type").asText()) {
            case "hash":
                Map<byte[], byte[]> fields = new LinkedHashMap<>();
                bad.path("fields")
                        .fields()
                        .forEachRemaining(
                                f -> fields.put(bytes(f.getKey()), bytes(f.getValue().asText())));
                if (bad.has("value-hex")) {
                    fields.put(
                            fields.keySet().iterator().next(), hex(bad.path("value-hex").asText()));
                }
                if (bad.has("value-size")) {
                    byte[] last = fields.keySet().stream().reduce((a, b) -> b).orElseThrow();
                    fields.put(last, filled(bad.path("value-size").asInt()));
                }
                redis.hset(key, fields);
                break;
            case "list":
                bad.path("elements").forEach(e -> redis.rpush(key, bytes(e.asText())));
                break;
            default:
                redis.set(
                        key,
                        bad.has("value-size")
                                ? filled(bad.path("value-size").asInt())
                                : bytes(bad.path("value").asText()));
        }
    }

    private static byte[] filled(int size) {
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        return value;
    }

    private static byte[] key(String run, JsonNode bad) {
        byte[] prefix = bytes(run + ":");
        byte[] rest =
                bad.has("key-hex")
                        ? hex(bad.path("key-hex").asText())
                        : bytes(bad.path("key").asText());
        byte[] key = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, key, prefix.length, rest.length);
        return key;
    }

    /** The key as dead letters show it: UTF-8, or every byte outside printable ASCII as \xNN. */
    private static String printableKey(String run, JsonNode bad) {
        return RecordValues.printable(key(run, bad));
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void hset(
            RedisCommands<byte[], byte[]> redis, String key, Map<String, String> fields) {
        Map<byte[], byte[]> values = new LinkedHashMap<>();
        fields.forEach((f, v) -> values.put(bytes(f), bytes(v)));
        redis.hset(bytes(key), values);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(BadRecordsITCase.class.getClassLoader().getResource(name).toURI());
    }

    /** Keeps dead letters in memory for the assertions (MiniCluster runs in this JVM). */
    private static final class CollectingSink implements Sink<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        @Deprecated
        public SinkWriter<DeadLetter> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
            return writer();
        }

        private static SinkWriter<DeadLetter> writer() {
            return new SinkWriter<>() {
                @Override
                public void write(DeadLetter letter, Context context) {
                    DEAD_LETTERS.add(letter);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
