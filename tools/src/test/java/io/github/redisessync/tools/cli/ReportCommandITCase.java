package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.ClaimedDatabase;
import io.github.redisessync.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report --compare} on the demo data synced by {@code local} with conf/demo.yaml (under
 * unique index names): both rollups side by side with the live aggregation, all equal, exit 0;
 * after a rollup document is edited in Elasticsearch by hand, its row is marked and the exit code
 * is 1. The demo's keys go to a database that was empty ({@link ClaimedDatabase}), deleted after.
 */
class ReportCommandITCase {

    private static final Logger LOG = LoggerFactory.getLogger(ReportCommandITCase.class);

    @Test
    void comparesTheDemoRollupsWithTheLiveAggregationAndMarksADifference(@TempDir Path mappings)
            throws Exception {
        try (ClaimedDatabase database =
                ClaimedDatabase.claim(
                        TestServices.redis().uri(),
                        TestServices.uniqueName("report"),
                        List.of("user:*", "order:*"))) {
            compare(mappings, database);
        }
    }

    private static void compare(Path mappings, ClaimedDatabase database) throws Exception {
        String users = TestServices.uniqueName("report-users");
        String orders = TestServices.uniqueName("report-orders");
        String cities = TestServices.uniqueName("report-cities");
        String minutes = TestServices.uniqueName("report-minutes");
        Path conf = Paths.get(System.getProperty("redis-es-sync.home", "..")).resolve("conf");
        Files.copy(conf.resolve("mappings/users.json"), mappings.resolve(users + ".json"));
        Files.copy(conf.resolve("mappings/orders.json"), mappings.resolve(orders + ".json"));
        String es = TestServices.elasticsearch().url();
        List<String> common =
                List.of(
                        "--config",
                        conf.resolve("demo.yaml").toString(),
                        "--redis",
                        database.uri(),
                        "--es",
                        es,
                        "--mappings",
                        mappings.toString(),
                        "--set",
                        "mappings[0].index=" + users,
                        "--set",
                        "mappings[1].index=" + orders,
                        "--set",
                        "rollups[0].source-index=" + users,
                        "--set",
                        "rollups[0].target-index=" + cities,
                        "--set",
                        "rollups[1].source-index=" + orders,
                        "--set",
                        "rollups[1].target-index=" + minutes);

        CliRun local =
                run(
                        common,
                        "local",
                        "--demo",
                        "600",
                        "--until-synced",
                        "--checkpoint-interval",
                        "1s");
        assertThat(local.exitCode).as(local.toString()).isZero();

        CliRun report = run(common, "report", "--compare", "--limit", "5");
        LOG.info("report --compare on the demo data:\n{}", report.out);
        assertThat(report.exitCode).as(report.toString()).isZero();
        assertThat(report.out)
                .contains("users_by_city (" + cities + "): ")
                .contains("orders_per_minute (" + minutes + "): ")
                .contains("all equal to the live aggregation")
                .contains("es count")
                .contains("avg_age")
                .contains("sum_amount")
                .doesNotContain("≠");

        // A hand-made difference: one city's count in its rollup document.
        SearchClient search = new SearchClient(es);
        Map.Entry<String, JsonNode> city = search.allDocuments(cities).entrySet().iterator().next();
        ObjectNode edited = (ObjectNode) city.getValue().deepCopy();
        edited.put("count", city.getValue().get("count").asLong() + 1);
        search.send("PUT", "/" + cities + "/_doc/" + encode(city.getKey()), edited.toString());
        search.send("POST", "/" + cities + "/_refresh", null);

        CliRun differing = run(common, "report", "--compare", "--limit", "0");
        assertThat(differing.exitCode).as(differing.toString()).isEqualTo(1);
        String cityName = city.getValue().get("city").asText();
        assertThat(differing.out)
                .contains("1 differing from the live aggregation")
                .containsPattern("(?m)^≠\\s+" + java.util.regex.Pattern.quote(cityName) + "\\s");
    }

    private static CliRun run(List<String> common, String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(common);
        all.addAll(List.of(args));
        return CliRun.run(all.toArray(new String[0]));
    }

    private static String encode(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
