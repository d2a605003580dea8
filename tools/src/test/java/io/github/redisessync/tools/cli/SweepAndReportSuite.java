package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.config.ConfigLoader;
import io.github.redisessync.job.config.SettingsFactory;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.SyncJobs;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catch-up sweep and {@code report --compare} on one server, for the newest version of each
 * kind (the README's table of tested servers): the sweep's scroll of ids and its versioned deletes,
 * the rollup rewrite and the report's live aggregation are requests each server answers in its own
 * way. The oracle reads Redis and the server directly, not through the code under test.
 */
interface SweepAndReportSuite {

    int KEYS = 300;

    /** Keys {@code 0 .. RARE-1} are the only ones of status {@code rare}. */
    int RARE = 10;

    String[] STATUSES = {"new", "paid", "shipped"};
    Duration TIMEOUT = Duration.ofMinutes(2);
    Duration POLL = Duration.ofMillis(250);

    /** The server under test. */
    String url();

    /**
     * {@code local --until-synced} fills the indexes; while no job runs, a group empties, one key
     * in 10 goes and some orders move; a fresh tailing start then leaves exactly Redis's documents
     * and rollups (only its sweep deletes the documents and the rollup of what vanished), and
     * {@code report --compare} agrees, then marks a rollup document edited by hand.
     */
    @Test
    // 7 to 10 s here: two Flink runs and three CLI runs against the suite class's running node.
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    default void aFreshStartSweepsWhatVanishedAndReportComparesOnThisServer(@TempDir Path dir)
            throws Exception {
        String name = TestServices.uniqueName("sweep");
        String prefix = name + ":order:";
        String orders = name + "-orders";
        String rollups = name + "-by-status";
        Path config = config(dir, url(), prefix, orders, rollups);
        SearchClient search = new SearchClient(url());
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < KEYS; i++) {
                write(redis, prefix, i, i < RARE ? "rare" : STATUSES[i % STATUSES.length]);
            }
            CliRun local = CliRun.run("local", "--config", config.toString(), "--until-synced");
            assertThat(local.exitCode).as(local.toString()).isZero();
            assertThat(documents(search, orders)).isEqualTo(redisOrders(redis, prefix));
            assertThat(rollupRows(search, rollups)).containsKey("rare");

            // While no job runs: the group 'rare' empties, one key in 10 goes, some orders move.
            for (int i = 0; i < KEYS; i++) {
                if (i < RARE || i % 10 == 5) {
                    redis.del(prefix + i);
                } else if (i % 20 == 7) {
                    write(redis, prefix, i, "paid");
                }
            }
            Map<String, Map<String, String>> expected = redisOrders(redis, prefix);
            Map<String, String> expectedRollups = aggregate(expected);
            assertThat(expectedRollups).doesNotContainKey("rare");

            SyncJobSetup settings =
                    new SettingsFactory(ConfigLoader.read(config).load(), dir)
                            .settings(null, null, false);
            JobClient job = SyncJobs.start(settings, "fresh start on " + url());
            try {
                Await.until(
                        "documents and rollups equal to Redis after the fresh start's sweep",
                        TIMEOUT,
                        POLL,
                        () ->
                                expected.equals(documents(search, orders))
                                        && expectedRollups.equals(rollupRows(search, rollups)));
            } catch (AssertionError timedOut) {
                assertThat(documents(search, orders)).as(timedOut.getMessage()).isEqualTo(expected);
                assertThat(rollupRows(search, rollups)).isEqualTo(expectedRollups);
            } finally {
                cancel(job);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        CliRun report = CliRun.run("report", "--config", config.toString(), "--compare");
        assertThat(report.exitCode).as(report.toString()).isZero();
        assertThat(report.out)
                .contains("by_status (" + rollups + "): ")
                .contains("all equal to the live aggregation")
                .doesNotContain("≠");

        // A hand-made difference: the count of the group 'paid' in its rollup document.
        Map.Entry<String, JsonNode> paid =
                search.allDocuments(rollups).entrySet().stream()
                        .filter(e -> e.getValue().path("status").asText().equals("paid"))
                        .findFirst()
                        .orElseThrow();
        ObjectNode edited = (ObjectNode) paid.getValue().deepCopy();
        edited.put("count", paid.getValue().path("count").asLong() + 1);
        String id = URLEncoder.encode(paid.getKey(), StandardCharsets.UTF_8).replace("+", "%20");
        search.send("PUT", "/" + rollups + "/_doc/" + id + "?refresh=true", edited.toString());
        CliRun differing =
                CliRun.run("report", "--config", config.toString(), "--compare", "--limit", "0");
        assertThat(differing.exitCode).as(differing.toString()).isEqualTo(1);
        assertThat(differing.out)
                .contains("1 differing from the live aggregation")
                .containsPattern("(?m)^≠\\s+paid\\s");
    }

    /** Cancels the job; one that ended by itself (a failure above) has no cluster left to ask. */
    private static void cancel(JobClient job) throws Exception {
        try {
            job.cancel().get();
        } catch (IllegalStateException ended) {
            // The assertion that failed says more than this would.
        }
    }

    /** A job configuration of its own: the orders with a mapping file, one rollup by status. */
    private static Path config(Path dir, String url, String prefix, String orders, String rollups)
            throws Exception {
        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(
                mappings.resolve(orders + ".json"),
                "{\"mappings\":{\"properties\":{"
                        + "\"status\":{\"type\":\"keyword\"},"
                        + "\"amount\":{\"type\":\"double\"},"
                        + "\"name\":{\"type\":\"text\"}}}}");
        Path config = dir.resolve("job.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "redis:",
                        "  url: \"" + TestServices.redis().uri() + "\"",
                        "elasticsearch:",
                        "  url: \"" + url + "\"",
                        "  mappings-dir: \"" + mappings + "\"",
                        "source:",
                        "  tail: keyspace",
                        "  configure-notifications: true",
                        "  scan-count: 100",
                        "mappings:",
                        "  - pattern: \"" + prefix + "{id}\"",
                        "    index: " + orders,
                        "rollups:",
                        "  - name: by_status",
                        "    source-index: " + orders,
                        "    target-index: " + rollups,
                        "    group-by: [status]",
                        "    metrics: [count, sum(amount)]",
                        "checkpoint:",
                        "  interval: 500ms",
                        ""));
        return config;
    }

    private static void write(
            RedisCommands<String, String> redis, String prefix, int i, String status) {
        redis.hset(
                prefix + i,
                Map.of("status", status, "amount", (i % 50) + ".25", "name", "Zoë " + i));
    }

    /** Redis's hashes under {@code prefix}, by document id, read key by key. */
    private static Map<String, Map<String, String>> redisOrders(
            RedisCommands<String, String> redis, String prefix) {
        Map<String, Map<String, String>> orders = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            Map<String, String> hash = redis.hgetall(prefix + i);
            if (!hash.isEmpty()) {
                orders.put(String.valueOf(i), hash);
            }
        }
        return orders;
    }

    /** Every document as field → text, the form Redis hashes have; empty while unreadable. */
    private static Map<String, Map<String, String>> documents(SearchClient search, String index) {
        Map<String, Map<String, String>> documents = new HashMap<>();
        try {
            search.allDocuments(index)
                    .forEach(
                            (id, document) -> {
                                Map<String, String> fields = new HashMap<>();
                                document.fields()
                                        .forEachRemaining(
                                                f -> fields.put(f.getKey(), f.getValue().asText()));
                                documents.put(id, fields);
                            });
        } catch (Exception e) {
            return Map.of();
        }
        return documents;
    }

    /** The rollup documents as status → "count sum", numbers in their plainest form. */
    private static Map<String, String> rollupRows(SearchClient search, String index) {
        Map<String, String> rows = new HashMap<>();
        try {
            for (JsonNode document : search.allDocuments(index).values()) {
                rows.put(
                        document.path("status").asText(),
                        row(
                                document.path("count").asLong(),
                                document.path("sum_amount").decimalValue()));
            }
        } catch (Exception e) {
            return Map.of();
        }
        return rows;
    }

    /** What the rollup by status must hold, computed from Redis's orders alone. */
    private static Map<String, String> aggregate(Map<String, Map<String, String>> orders) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, BigDecimal> sums = new HashMap<>();
        for (Map<String, String> order : orders.values()) {
            counts.merge(order.get("status"), 1L, Long::sum);
            sums.merge(order.get("status"), new BigDecimal(order.get("amount")), BigDecimal::add);
        }
        Map<String, String> rows = new HashMap<>();
        counts.forEach((status, count) -> rows.put(status, row(count, sums.get(status))));
        return rows;
    }

    private static String row(long count, BigDecimal sum) {
        return count + " " + sum.stripTrailingZeros().toPlainString();
    }
}
