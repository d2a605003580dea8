package io.github.redisessync.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar submitted to a standalone Flink cluster over REST, as the web UI does it: the
 * jar alone must bring everything the job needs, and its main must not stop the JobManager.
 */
class StandaloneClusterITCase {

    @Test
    void theShadedJarSyncsRedisIntoElasticsearchOnAStandaloneCluster(@TempDir Path directory)
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
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        Path jobJar = shadedJar();

        try (StandaloneFlinkCluster cluster =
                StandaloneFlinkCluster.start(directory.resolve("flink"))) {
            String jarId = cluster.uploadJar(jobJar);
            String jobId =
                    cluster.run(
                            jarId,
                            "io.github.redisessync.job.cli.RedisEsSyncCommand",
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
            JsonNode job =
                    cluster.await(
                            "/jobs/" + jobId,
                            status ->
                                    List.of("FINISHED", "FAILED", "CANCELED")
                                            .contains(status.path("state").asText()),
                            Duration.ofSeconds(120));
            assertThat(job.path("state").asText())
                    .as("job state; cluster logs:%s", cluster.logTails())
                    .isEqualTo("FINISHED");
            // The JobManager survived the program's end (no System.exit in it).
            cluster.await(
                    "/overview",
                    overview -> overview.path("jobs-finished").asInt() == 1,
                    Duration.ofSeconds(10));
        }

        Map<String, JsonNode> documents =
                new SearchClient(TestServices.elasticsearch().url()).allDocuments(index);
        assertThat(documents).hasSize(written.size());
        written.forEach(
                (id, user) -> {
                    JsonNode document = documents.get(id);
                    assertThat(document.path("name").asText()).isEqualTo(user.get("name"));
                    assertThat(document.path("age").asText()).isEqualTo(user.get("age"));
                    assertThat(document.path("city").asText()).isEqualTo(user.get("city"));
                });
    }

    private static Path shadedJar() throws Exception {
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "No shaded *-job.jar in jobs/target: run this test"
                                                    + " with `mvn verify`, after `package`."));
        }
    }
}
