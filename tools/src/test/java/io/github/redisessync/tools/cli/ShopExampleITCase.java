package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.ClaimedDatabase;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of conf/shop.yaml: {@code local} on the shop dataset fills every index with typed
 * documents; a date range and a sum in Elasticsearch equal what Redis holds.
 *
 * <p>Touches only what it creates, also on a user's servers: the shop's keys ({@code user:1},
 * {@code product:sku-1}, ...) go to a database that was empty and are deleted afterwards, and every
 * index of the configuration is renamed to one of this run's own ({@code --set}), then deleted.
 */
class ShopExampleITCase {
    private static final List<String> KEY_PATTERNS =
            List.of("user:*", "order:*", "product:*", "session:*");

    @Test
    void theShopConfigurationSyncsTypedDocumentsThatQueriesAgreeWith() throws Exception {
        String name = TestServices.uniqueName("shop");
        String users = name + "-users";
        String orders = name + "-orders";
        String products = name + "-products";
        String sessions = name + "-sessions";
        String ordersPerDay = name + "-rollup-orders_per_day";
        String esUrl = TestServices.elasticsearch().url();
        SearchClient es = new SearchClient(esUrl);
        try (ClaimedDatabase database =
                ClaimedDatabase.claim(TestServices.redis().uri(), name, KEY_PATTERNS)) {
            try {
                sync(database, es, users, orders, products, sessions, ordersPerDay);
            } finally {
                for (String index : List.of(users, orders, products, sessions, ordersPerDay)) {
                    try {
                        es.send("DELETE", "/" + index, null);
                    } catch (IOException absent) {
                        // the run failed before creating it
                    }
                }
            }
        }
    }

    private static void sync(
            ClaimedDatabase database,
            SearchClient es,
            String users,
            String orders,
            String products,
            String sessions,
            String ordersPerDay)
            throws Exception {
        String redisUri = TestServices.redis().uri();
        String esUrl = TestServices.elasticsearch().url();
        RedisClient client = RedisClient.create(database.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            picocli.CommandLine cli = RedisEsSyncCommand.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit =
                    cli.execute(
                            "local",
                            "--config",
                            "../conf/shop.yaml",
                            "--redis",
                            redisUri,
                            "--es",
                            esUrl,
                            "--set",
                            "redis.database=" + database.number(),
                            "--set",
                            "mappings[0].index=" + users,
                            "--set",
                            "mappings[1].index=" + orders,
                            "--set",
                            "mappings[2].index=" + products,
                            "--set",
                            "mappings[3].index=" + sessions,
                            "--set",
                            "rollups[0].source-index=" + orders,
                            "--set",
                            "rollups[0].target-index=" + ordersPerDay,
                            "--demo",
                            "150",
                            "--dataset",
                            "shop",
                            "--tail",
                            "none",
                            "--until-synced",
                            "--checkpoint-interval",
                            "1s");
            assertThat(exit).as("out:%n%s%nerr:%n%s", out, err).isZero();

            List<String> orderKeys = keys(redis, "order:*");
            assertThat(count(es, users)).isEqualTo(keys(redis, "user:*").size());
            assertThat(count(es, orders)).isEqualTo(orderKeys.size());
            assertThat(count(es, products)).isEqualTo(keys(redis, "product:*").size());
            assertThat(count(es, sessions)).isEqualTo(keys(redis, "session:*").size());

            // A date range on orders.created_at and the sum of their amounts, both ways.
            Instant from = Instant.parse("2024-02-01T00:00:00Z");
            Instant to = Instant.parse("2024-03-01T00:00:00Z");
            long inRange = 0;
            BigDecimal sum = BigDecimal.ZERO;
            for (String key : orderKeys) {
                Map<String, String> order = redis.hgetall(key);
                Instant created = Instant.parse(order.get("created_at"));
                if (!created.isBefore(from) && created.isBefore(to)) {
                    inRange++;
                    sum = sum.add(new BigDecimal(order.get("amount")));
                }
            }
            JsonNode answer =
                    es.send(
                            "POST",
                            "/" + orders + "/_search",
                            "{\"size\":0,\"track_total_hits\":true,\"query\":{\"range\":{\"created_at\":"
                                    + "{\"gte\":\""
                                    + from
                                    + "\",\"lt\":\""
                                    + to
                                    + "\"}}},"
                                    + "\"aggs\":{\"revenue\":{\"sum\":{\"field\":\"amount\"}}}}");
            assertThat(inRange).isPositive();
            assertThat(answer.path("hits").path("total").path("value").asLong()).isEqualTo(inRange);
            assertThat(answer.path("aggregations").path("revenue").path("value").decimalValue())
                    .isCloseTo(sum, org.assertj.core.data.Offset.offset(new BigDecimal("0.001")));

            // Stock is an integer inside JSON strings; started_at is a date in epoch seconds.
            long stock = 0;
            for (String key : keys(redis, "product:*")) {
                stock += SearchClientJson.read(redis.get(key)).path("stock").asLong();
            }
            JsonNode stockSum =
                    es.send(
                            "POST",
                            "/" + products + "/_search",
                            "{\"size\":0,\"aggs\":{\"stock\":{\"sum\":{\"field\":\"stock\"}}}}");
            assertThat(stockSum.path("aggregations").path("stock").path("value").asLong())
                    .isEqualTo(stock);
            long sessionsFrom = from.getEpochSecond();
            long recentSessions = 0;
            for (String key : keys(redis, "session:*")) {
                if (Long.parseLong(redis.hget(key, "started_at")) >= sessionsFrom) {
                    recentSessions++;
                }
            }
            JsonNode recent =
                    es.send(
                            "POST",
                            "/" + sessions + "/_count",
                            "{\"query\":{\"range\":{\"started_at\":{\"gte\":"
                                    + sessionsFrom
                                    + "}}}}");
            assertThat(recent.path("count").asLong()).isEqualTo(recentSessions);

            // Renamed and excluded fields; composite ids.
            JsonNode one = es.allDocuments(users).get("1");
            assertThat(one.has("full_name")).isTrue();
            assertThat(one.has("password_hash")).isFalse();
            assertThat(one.path("vip").isBoolean()).isTrue();
            String session = keys(redis, "session:*").get(0);
            String[] parts = session.split(":");
            assertThat(es.allDocuments(sessions)).containsKey(parts[1] + "-" + parts[2]);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static long count(SearchClient es, String index) throws Exception {
        es.send("POST", "/" + index + "/_refresh", null);
        return es.send("GET", "/" + index + "/_count", null).path("count").asLong();
    }

    private static List<String> keys(RedisCommands<String, String> redis, String glob) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    redis.scan(cursor, ScanArgs.Builder.matches(glob).limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    /** Parses the JSON strings the shop's products are. */
    private static final class SearchClientJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode read(String text) throws IOException {
            return JSON.readTree(text);
        }
    }
}
