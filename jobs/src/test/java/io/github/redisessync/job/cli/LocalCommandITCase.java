package io.github.redisessync.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code local} command as a user runs it, against the test run's real servers. */
class LocalCommandITCase {

    /** A database of its own, so the demo's user:* and order:* keys meet no other test's keys. */
    private static final int DEMO_DATABASE = 11;

    /**
     * Also the rollups: {@code local} returns once they equal the live aggregation, so that {@code
     * report --compare} run right after agrees.
     */
    @Test
    void loadsTheDemoAndExitsOnceEverythingIsSynced(@TempDir Path mappings) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String users = "it-users-" + suffix;
        String orders = "it-orders-" + suffix;
        // The project's own demo mappings, under the test's index names.
        Path conf =
                Paths.get(System.getProperty("redis-es-sync.home", "..")).resolve("conf/mappings");
        Files.copy(conf.resolve("users.json"), mappings.resolve(users + ".json"));
        Files.copy(conf.resolve("orders.json"), mappings.resolve(orders + ".json"));
        String redisUri = TestServices.redis().uri() + "/" + DEMO_DATABASE;
        SearchClient search = new SearchClient(TestServices.elasticsearch().url());
        // The demo's rollups keep their index names under --index: start them empty.
        for (String rollupIndex : List.of("rollup-users_by_city", "rollup-orders_per_minute")) {
            try {
                search.send("DELETE", "/" + rollupIndex, null);
            } catch (IOException absent) {
                // not there yet
            }
        }
        List<String> options =
                List.of(
                        "--redis",
                        redisUri,
                        "--es",
                        TestServices.elasticsearch().url(),
                        "--index",
                        "user:*=" + users,
                        "--index",
                        "order:*=" + orders,
                        "--mappings",
                        mappings.toString());

        CliRun run =
                CliRun.run(
                        command(
                                "local",
                                options,
                                "--demo",
                                "1500",
                                "--until-synced",
                                "--checkpoint-interval",
                                "1s"));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out)
                .contains("synced 1500 documents into " + users)
                .contains("synced 1500 documents into " + orders)
                .contains("Flink web UI: http://localhost:")
                .containsPattern(
                        "(?m)^rollups: \\d+ \\+ \\d+ rows \\(users_by_city \\+ orders_per_minute\\)"
                                + " equal the live aggregation, checked in ");
        CliRun report = CliRun.run(command("report", options, "--compare", "--limit", "0"));
        assertThat(report.exitCode).as(report.toString()).isZero();
        assertThat(report.out)
                .contains("users_by_city (rollup-users_by_city): ")
                .contains("orders_per_minute (rollup-orders_per_minute): ")
                .contains("all equal to the live aggregation")
                .doesNotContain("differing");

        // A search returns them, each equal to its hash, typed as the demo mapping says.
        Map<String, JsonNode> documents = search.allDocuments(users);
        assertThat(documents).hasSize(1500);
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            for (String id : new String[] {"1", "750", "1500"}) {
                Map<String, String> hash = redis.sync().hgetall("user:" + id);
                JsonNode document = documents.get(id);
                assertThat(document.get("age").isIntegralNumber()).isTrue();
                assertThat(document.get("active").isBoolean()).isTrue();
                for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    JsonNode value = document.get(field);
                    assertThat(value.isTextual() ? value.asText() : value.toString())
                            .as("user:%s %s", id, field)
                            .isEqualTo(hash.get(field));
                }
                assertThat(document.size()).isEqualTo(hash.size());
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String[] command(String name, List<String> options, String... more) {
        List<String> args = new ArrayList<>();
        args.add(name);
        args.addAll(options);
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @Test
    void anUnreachableRedisFailsWithinSecondsNamingTheUrl() {
        long t0 = System.nanoTime();
        CliRun run =
                CliRun.run(
                        "local",
                        "--redis",
                        "redis://127.0.0.1:1",
                        "--es",
                        TestServices.elasticsearch().url());
        assertThat(run.exitCode).as(run.toString()).isEqualTo(RedisEsSyncCommand.EXIT_UNREACHABLE);
        assertThat(run.err).contains("Cannot reach Redis at redis://127.0.0.1:1");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anUnreachableElasticsearchFailsNamingTheUrl() {
        CliRun run =
                CliRun.run(
                        "local",
                        "--redis",
                        TestServices.redis().uri(),
                        "--es",
                        "http://127.0.0.1:1");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(RedisEsSyncCommand.EXIT_UNREACHABLE);
        assertThat(run.err).contains("Cannot reach Elasticsearch at http://127.0.0.1:1");
    }

    @Test
    void badUrlsAreRejectedBeforeAnythingStartsAndPasswordsStayHidden() {
        CliRun badEs =
                CliRun.run(
                        "local",
                        "--redis",
                        "redis://127.0.0.1:6379",
                        "--es",
                        "ftp://admin:hunter2@host");
        assertThat(badEs.exitCode).isEqualTo(RedisEsSyncCommand.EXIT_BAD_CONFIGURATION);
        assertThat(badEs.err).contains("ftp://***@host").doesNotContain("hunter2");

        CliRun badRedis =
                CliRun.run("local", "--redis", "localhost:6379", "--es", "http://127.0.0.1:9200");
        assertThat(badRedis.exitCode).isEqualTo(RedisEsSyncCommand.EXIT_BAD_CONFIGURATION);
        assertThat(badRedis.err).contains("Redis URL 'localhost:6379' is not valid");
    }
}
