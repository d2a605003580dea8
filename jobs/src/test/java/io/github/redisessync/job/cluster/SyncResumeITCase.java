package io.github.redisessync.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} on a standalone cluster with {@code checkpoint.dir}: a cancelled job leaves its
 * latest checkpoint, and the job submitted again from it ({@code flink run -s}) restores it and
 * catches up with the changes made while none ran.
 */
class SyncResumeITCase {
    private static final String ENTRY = "io.github.redisessync.job.cli.JobJarCommand";
    private static final int KEYS = 300;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aCancelledJobKeepsItsCheckpointAndResumesFromItWithFlinkRunS(@TempDir Path directory)
            throws Exception {
        String prefix = TestServices.uniqueName("sync-resume") + ":";
        String index = TestServices.uniqueName("sync-resume");
        Path checkpoints = directory.resolve("checkpoints");
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        SearchClient es = new SearchClient(TestServices.elasticsearch().url());
        List<String> args =
                List.of(
                        "sync",
                        "--redis",
                        TestServices.redis().uri(),
                        "--es",
                        TestServices.elasticsearch().url(),
                        "--index",
                        prefix + "*=" + index,
                        "--checkpoint-interval",
                        "1s",
                        "--set",
                        "checkpoint.dir=" + checkpoints.toUri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
                StandaloneFlinkCluster cluster =
                        StandaloneFlinkCluster.start(directory.resolve("flink"))) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < KEYS; i++) {
                redis.hset(prefix + i, Map.of("name", "user " + i, "v", "0"));
            }
            String jarId = cluster.uploadJar(StandaloneFlinkCluster.shadedJar());
            String first = cluster.run(jarId, ENTRY, args);
            awaitEqual(redis, es, prefix, index, cluster);
            awaitCheckpoint(checkpoints.resolve(first), cluster);
            cluster.cancel(first);
            cluster.await(
                    "/jobs/" + first,
                    job -> job.path("state").asText().equals("CANCELED"),
                    Duration.ofSeconds(60));
            Path kept = latestCheckpoint(checkpoints.resolve(first)).orElseThrow();
            assertThat(kept.resolve("_metadata")).as("retained after the cancel").exists();

            // While no job runs: an update, a delete and a new key, which no one hears.
            redis.hset(prefix + "7", "v", "7777"); // a number, as "v" is detected as one
            redis.del(prefix + "9");
            redis.hset(prefix + "new", Map.of("name", "Ana", "v", "1"));

            String second = cluster.run(jarId, ENTRY, args, kept.toString());
            JsonNode stats =
                    cluster.await(
                            "/jobs/" + second + "/checkpoints",
                            s -> !s.path("latest").path("restored").isMissingNode(),
                            Duration.ofMinutes(2));
            assertThat(stats.path("latest").path("restored").path("external_path").asText())
                    .endsWith(kept.getFileName().toString());
            awaitEqual(redis, es, prefix, index, cluster);
            cluster.cancel(second);
        } finally {
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                List<String> keys = connection.sync().keys(prefix + "*");
                if (!keys.isEmpty()) {
                    connection.sync().del(keys.toArray(new String[0]));
                }
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            try {
                es.send("DELETE", "/" + index, null);
            } catch (IOException absent) {
                // never created
            }
        }
    }

    /** Polls until every hash under {@code prefix} is a document with its fields, and no more. */
    private static void awaitEqual(
            RedisCommands<String, String> redis,
            SearchClient es,
            String prefix,
            String index,
            StandaloneFlinkCluster cluster)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<String, Map<String, String>> hashes = new LinkedHashMap<>();
            for (String key : redis.keys(prefix + "*")) {
                hashes.put(key.substring(prefix.length()), redis.hgetall(key));
            }
            try {
                Map<String, JsonNode> documents = es.allDocuments(index);
                Map<String, Map<String, String>> found = new LinkedHashMap<>();
                documents.forEach(
                        (id, document) -> {
                            Map<String, String> fields = new LinkedHashMap<>();
                            document.fields()
                                    .forEachRemaining(
                                            f -> fields.put(f.getKey(), f.getValue().asText()));
                            found.put(id, fields);
                        });
                if (found.equals(hashes)) {
                    return;
                }
                last = hashes.size() + " keys, " + found.size() + " documents";
            } catch (IOException e) {
                last = e.getMessage();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        throw new AssertionError(
                "Elasticsearch never equalled Redis: " + last + cluster.logTails());
    }

    /** Waits for a completed checkpoint of the job (a {@code chk-N} with its metadata). */
    private static Path awaitCheckpoint(Path jobDirectory, StandaloneFlinkCluster cluster)
            throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Path> latest = latestCheckpoint(jobDirectory);
            if (latest.isPresent()) {
                return latest.get();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new AssertionError("No checkpoint in " + jobDirectory + cluster.logTails());
    }

    private static Optional<Path> latestCheckpoint(Path jobDirectory) throws IOException {
        if (!Files.isDirectory(jobDirectory)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(jobDirectory)) {
            return children.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }
}
