package io.github.redisessync.job.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.config.ConfigLoader;
import io.github.redisessync.job.config.SettingsFactory;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.Metrics;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.SyncJobs;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter targets on real Redis and Elasticsearch, with the whole job following the tail: a
 * value the mapping refuses (invalid JSON) and a document Elasticsearch refuses (a text where the
 * index maps an integer) each become one record in the dead-letter index or file, with key, reason
 * and excerpt; the other documents are written, and a good and a bad key changed afterwards are
 * handled too, so the job kept running. Dead letters of an unbounded job reach the target only
 * through the flush before each checkpoint.
 */
class DeadLetterTargetsITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    @TempDir Path dir;

    @Test
    void bothKindsOfDeadLetterLandInTheIndexWhileTheJobRuns() throws Exception {
        String run = TestServices.uniqueName("dlq-index");
        String deadLetters = run + "-dead-letters";
        SearchClient es = new SearchClient(TestServices.elasticsearch().url());
        runAndCheck(
                run,
                "{index: " + deadLetters + "}",
                () -> {
                    try {
                        return new ArrayList<>(es.allDocuments(deadLetters).values());
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        JsonNode mapping =
                es.send("GET", "/" + deadLetters + "/_mapping", null)
                        .path(deadLetters)
                        .path("mappings")
                        .path("properties");
        assertThat(mapping.path("key").path("type").asText()).isEqualTo("keyword");
        assertThat(mapping.path("time").path("type").asText()).isEqualTo("date");
    }

    @Test
    void bothKindsOfDeadLetterLandInTheFilesWhileTheJobRuns() throws Exception {
        String run = TestServices.uniqueName("dlq-file");
        Path file = dir.resolve("dead-letters.jsonl");
        runAndCheck(run, "{file: '" + file + "'}", () -> linesOf(dir));
        // One file per writer, so no two writers' lines interleave; made at the first record.
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .allMatch(
                            name ->
                                    name.matches(
                                            "dead-letters-(mapping|elasticsearch)-[01]\\.jsonl"))
                    .anyMatch(name -> name.contains("-mapping-"))
                    .anyMatch(name -> name.contains("-elasticsearch-"));
        }
    }

    private void runAndCheck(String run, String target, Supplier<List<JsonNode>> stored)
            throws Exception {
        String users = run + "-users";
        String products = run + "-products";
        // The index maps age as integer, the job's mapping does not know it: only Elasticsearch
        // can refuse "old".
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(
                        TestServices.elasticsearch().url(), Duration.ofSeconds(5))) {
            indexes.createIndexIfAbsent(
                    users,
                    IndexDefinition.parse(
                            "{\"mappings\":{\"properties\":{\"age\":{\"type\":\"integer\"}}}}",
                            "ages"));
        }
        ConfigLoader config =
                ConfigLoader.read(null)
                        .set("mappings[0].pattern=" + run + ":user:*", "test")
                        .set("mappings[0].index=" + users, "test")
                        .set("mappings[1].pattern=" + run + ":product:*", "test")
                        .set("mappings[1].index=" + products, "test")
                        .set("mappings[1].type=string", "test")
                        .set("source.tail=keyspace", "test")
                        .set("checkpoint.interval=300ms", "test")
                        .set("sink.bulk-flush-interval=100ms", "test")
                        .set(List.of("sink", "dead-letters"), target, "test");
        SyncJobSetup settings =
                new SettingsFactory(config.load(), dir)
                        .settings(
                                TestServices.redis().uri(),
                                TestServices.elasticsearch().url(),
                                false);
        SearchClient es = new SearchClient(TestServices.elasticsearch().url());
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.hset(run + ":user:1", Map.of("name", "Ann", "age", "31"));
            redis.hset(run + ":user:bad", Map.of("name", "Bad Age", "age", "old"));
            redis.set(run + ":product:1", "{\"name\":\"Lamp\"}");
            redis.set(run + ":product:bad", "{not json");

            SyncJobFactory.prepareIndexes(settings);
            String jobName = "dead letters " + run;
            JobClient job = SyncJobs.start(settings, jobName);
            try {
                // Each index's writes may sit in another writer's bulk: wait for both.
                Await.until("the good documents", TIMEOUT, () -> ids(es, users).contains("1"));
                Await.until("the good product", TIMEOUT, () -> ids(es, products).contains("1"));
                Await.until("both dead letters", TIMEOUT, () -> stored.get().size() >= 2);
                assertThat(ids(es, products)).containsExactly("1");

                // Changed while the job runs: one more of each, found through the tail.
                redis.hset(run + ":user:2", Map.of("name", "Bo", "age", "42"));
                redis.hset(run + ":user:worse", Map.of("name", "Worse", "age", "older"));
                Await.until("the later good document", TIMEOUT, () -> ids(es, users).contains("2"));
                Await.until("the later dead letter", TIMEOUT, () -> stored.get().size() >= 3);

                List<JsonNode> records = stored.get();
                assertThat(records)
                        .extracting(r -> r.path("key").asText())
                        .containsExactlyInAnyOrder(
                                run + ":user:bad", run + ":product:bad", run + ":user:worse");
                JsonNode rejected = byKey(records, run + ":user:bad");
                assertThat(rejected.path("stage").asText()).isEqualTo("elasticsearch");
                assertThat(rejected.path("index").asText()).isEqualTo(users);
                assertThat(rejected.path("id").asText()).isEqualTo("bad");
                assertThat(rejected.path("reason_code").asText()).endsWith("_parsing_exception");
                assertThat(rejected.path("reason").asText())
                        .contains("failed to parse field [age]");
                assertThat(rejected.path("excerpt").asText()).contains("\"old\"");
                assertThat(rejected.path("version").asLong()).isPositive();
                JsonNode unmapped = byKey(records, run + ":product:bad");
                assertThat(unmapped.path("stage").asText()).isEqualTo("mapping");
                assertThat(unmapped.path("index").asText()).isEqualTo(products);
                assertThat(unmapped.path("reason_code").asText()).isEqualTo("invalid-json");
                assertThat(unmapped.path("excerpt").asText()).contains("{not json");
                for (JsonNode record : records) {
                    assertThat(record.path("job").asText()).isEqualTo(jobName);
                    assertThat(record.path("time").asText()).isNotEmpty();
                    assertThat(record.path("dead_letter_id").asText()).hasSize(32);
                }
                assertThat(ids(es, users)).containsExactlyInAnyOrder("1", "2");
                JobID id = job.getJobID();
                assertThat(Metrics.counter(REPORTER, id, DeadLetterOutputs.WRITTEN))
                        .isGreaterThanOrEqualTo(3);
                assertThat(Metrics.counter(REPORTER, id, DeadLetterOutputs.WRITE_FAILURES))
                        .isZero();
                assertThat(Metrics.counter(REPORTER, id, "documentsRejected"))
                        .isGreaterThanOrEqualTo(2);
            } finally {
                job.cancel().get();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static JsonNode byKey(List<JsonNode> records, String key) {
        return records.stream()
                .filter(r -> r.path("key").asText().equals(key))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> ids(SearchClient es, String index) {
        try {
            return new ArrayList<>(es.allDocuments(index).keySet());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every line of every dead-letter file in {@code dir}, each a whole JSON object. */
    private static List<JsonNode> linesOf(Path dir) {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    records.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
