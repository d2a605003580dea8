package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.job.testing.ClaimedDatabase;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code local} command as a user runs it, against the test run's real servers. */
class LocalCommandITCase {

    /**
     * Also the rollups: {@code local} returns once they equal the live aggregation, so that {@code
     * report --compare} run right after agrees.
     *
     * <p>Touches only what it creates, also on a user's servers: the demo's keys ({@code user:1},
     * ...) go to a database that was empty, and every index has a name of this run's own, the
     * rollups' included ({@code --set rollups[i].target-index}).
     */
    @Test
    void loadsTheDemoAndExitsOnceEverythingIsSynced(@TempDir Path mappings) throws Exception {
        String name = TestServices.uniqueName("it");
        String users = name + "-users";
        String orders = name + "-orders";
        String usersByCity = name + "-rollup-users_by_city";
        String ordersPerMinute = name + "-rollup-orders_per_minute";
        // The project's own demo mappings, under the test's index names.
        Path conf =
                Paths.get(System.getProperty("redis-es-sync.home", "..")).resolve("conf/mappings");
        Files.copy(conf.resolve("users.json"), mappings.resolve(users + ".json"));
        Files.copy(conf.resolve("orders.json"), mappings.resolve(orders + ".json"));
        SearchClient search = new SearchClient(TestServices.elasticsearch().url());
        try (ClaimedDatabase database =
                ClaimedDatabase.claim(
                        TestServices.redis().uri(), name, List.of("user:*", "order:*"))) {
            try {
                syncTheDemo(database.uri(), mappings, users, orders, usersByCity, ordersPerMinute);
            } finally {
                for (String index : List.of(users, orders, usersByCity, ordersPerMinute)) {
                    deleteIndex(search, index);
                }
            }
        }
    }

    private static void syncTheDemo(
            String redisUri,
            Path mappings,
            String users,
            String orders,
            String usersByCity,
            String ordersPerMinute)
            throws Exception {
        SearchClient search = new SearchClient(TestServices.elasticsearch().url());
        List<String> options =
                List.of(
                        // The configuration `local` runs without --config, named so that --set
                        // can rename its rollups' indexes.
                        "--config",
                        Paths.get(System.getProperty("redis-es-sync.home", ".."))
                                .resolve("conf/demo.yaml")
                                .toString(),
                        "--redis",
                        redisUri,
                        "--es",
                        TestServices.elasticsearch().url(),
                        "--index",
                        "user:*=" + users,
                        "--index",
                        "order:*=" + orders,
                        "--mappings",
                        mappings.toString(),
                        "--set",
                        "rollups[0].source-index=" + users,
                        "--set",
                        "rollups[0].target-index=" + usersByCity,
                        "--set",
                        "rollups[1].source-index=" + orders,
                        "--set",
                        "rollups[1].target-index=" + ordersPerMinute);

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
                .contains("users_by_city (" + usersByCity + "): ")
                .contains("orders_per_minute (" + ordersPerMinute + "): ")
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

    /** Deletes an index this test created; one that was never made is fine. */
    private static void deleteIndex(SearchClient search, String index) {
        try {
            search.send("DELETE", "/" + index, null);
        } catch (IOException absent) {
            // the run failed before creating it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        assertThat(run.exitCode).as(run.toString()).isEqualTo(CommandRunner.EXIT_UNREACHABLE);
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
        assertThat(run.exitCode).as(run.toString()).isEqualTo(CommandRunner.EXIT_UNREACHABLE);
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
        assertThat(badEs.exitCode).isEqualTo(CommandRunner.EXIT_BAD_CONFIGURATION);
        assertThat(badEs.err).contains("ftp://***@host").doesNotContain("hunter2");

        CliRun badRedis =
                CliRun.run("local", "--redis", "localhost:6379", "--es", "http://127.0.0.1:9200");
        assertThat(badRedis.exitCode).isEqualTo(CommandRunner.EXIT_BAD_CONFIGURATION);
        assertThat(badRedis.err).contains("Redis URL 'localhost:6379' is not valid");
    }
}
