package io.github.redisessync.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar submitted to a standalone Flink cluster over REST, as the web UI does it: the
 * jar alone must bring everything the job needs, and its main must not stop the JobManager.
 */
class StandaloneClusterITCase {

    @Test
    void theShadedJarSnapshotsAndTailsRedisOnAStandaloneCluster(@TempDir Path directory)
            throws Exception {
        String prefix = TestServices.uniqueName("cluster") + ":user:";
        String index = TestServices.uniqueName("cluster-users");
        Map<String, Map<String, String>> written = new LinkedHashMap<>();
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < 2000; i++) {
                Map<String, String> user = new LinkedHashMap<>();
                user.put("name", "Søren Ødegaard " + i);
                user.put("age", String.valueOf(20 + i % 50));
                user.put("city", i % 2 == 0 ? "Malmö" : "Tōkyō");
                redis.hset(prefix + i, user);
                written.put(String.valueOf(i), user);
            }
        }
        Path jobJar = StandaloneFlinkCluster.shadedJar();

        SearchClient es = new SearchClient(TestServices.elasticsearch().url());
        try (StandaloneFlinkCluster cluster =
                        StandaloneFlinkCluster.start(directory.resolve("flink"));
                StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String jarId = cluster.uploadJar(jobJar);
            // Snapshot then tail (keyspace notifications, the default): the job runs until
            // cancelled.
            String jobId =
                    cluster.run(
                            jarId,
                            "io.github.redisessync.job.cli.JobJarCommand",
                            List.of(
                                    "sync",
                                    "--redis",
                                    TestServices.redis().uri(),
                                    "--es",
                                    TestServices.elasticsearch().url(),
                                    "--index",
                                    prefix + "*=" + index,
                                    "--checkpoint-interval",
                                    "1s"));
            awaitDocuments(es, index, documents -> documents.size() == written.size(), cluster);

            // Changes made while the job tails arrive too.
            redis.hset(prefix + "7", "city", "Reykjavík");
            written.get("7").put("city", "Reykjavík");
            redis.del(prefix + "9");
            written.remove("9");
            Map<String, String> created =
                    new LinkedHashMap<>(Map.of("name", "Ana", "age", "31", "city", "Lisboa"));
            redis.hset(prefix + "new", created);
            written.put("new", created);
            awaitDocuments(
                    es,
                    index,
                    documents ->
                            documents.size() == written.size()
                                    && documents.containsKey("new")
                                    && "Reykjavík".equals(documents.get("7").path("city").asText()),
                    cluster);

            assertThat(cluster.job(jobId).path("state").asText()).isEqualTo("RUNNING");
            cluster.cancel(jobId);
            // The JobManager outlived the program's main (no System.exit in it) and the job.
            cluster.await(
                    "/overview",
                    overview -> overview.path("jobs-cancelled").asInt() == 1,
                    Duration.ofSeconds(30));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        Map<String, JsonNode> documents = es.allDocuments(index);
        assertThat(documents).hasSize(written.size());
        written.forEach(
                (id, user) -> {
                    JsonNode document = documents.get(id);
                    assertThat(document.path("name").asText()).isEqualTo(user.get("name"));
                    assertThat(document.path("age").asText()).isEqualTo(user.get("age"));
                    assertThat(document.path("city").asText()).isEqualTo(user.get("city"));
                });
    }

    /** Polls Elasticsearch until its documents meet {@code condition}, for up to two minutes. */
    private static void awaitDocuments(
            SearchClient es,
            String index,
            Predicate<Map<String, JsonNode>> condition,
            StandaloneFlinkCluster cluster)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "index not created yet";
        while (System.nanoTime() < deadline) {
            try {
                Map<String, JsonNode> documents = es.allDocuments(index);
                if (condition.test(documents)) {
                    return;
                }
                last = documents.size() + " documents";
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(500); // polling interval, not a stand-in for the condition
        }
        throw new AssertionError(
                "Elasticsearch did not reach the expected documents ("
                        + last
                        + ")"
                        + cluster.logTails());
    }
}
