package io.github.redisessync.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The two demo rollups against Elasticsearch's own aggregations over the synced documents, which
 * are the oracle: {@code users_by_city} (count, avg(age) per city) against a terms aggregation,
 * {@code orders_per_minute} (count, sum(amount) per minute of created_at and status) against a
 * composite aggregation of a one-minute date histogram and the status. Counts must be equal,
 * metrics equal within a millionth (Elasticsearch sums doubles, the rollup decimals). An empty
 * group must have no document, and no group two.
 */
final class RollupOracle {
    private final SearchClient es;
    private final String users;
    private final String orders;
    private final String userRollups;
    private final String orderRollups;

    /** The rollups of {@code users} write to {@code userRollups}, those of orders likewise. */
    RollupOracle(
            SearchClient es, String users, String orders, String userRollups, String orderRollups) {
        this.es = es;
        this.users = users;
        this.orders = orders;
        this.userRollups = userRollups;
        this.orderRollups = orderRollups;
    }

    /** Appends a line per rollup that differs. */
    void compare(StringBuilder out) throws IOException, InterruptedException {
        es.send(
                "POST",
                "/" + String.join(",", users, orders, userRollups, orderRollups) + "/_refresh",
                null);
        compare(
                "users_by_city",
                written(userRollups, "users_by_city", "avg_age"),
                usersByCity(),
                out);
        compare(
                "orders_per_minute",
                written(orderRollups, "orders_per_minute", "sum_amount"),
                ordersPerMinute(),
                out);
    }

    private static void compare(
            String rollup,
            Map<String, double[]> written,
            Map<String, double[]> expected,
            StringBuilder out) {
        TreeSet<String> differing = new TreeSet<>();
        TreeSet<String> keys = new TreeSet<>(written.keySet());
        keys.addAll(expected.keySet());
        for (String key : keys) {
            double[] a = written.get(key);
            double[] b = expected.get(key);
            if (a == null || b == null || a[0] != b[0] || !close(a[1], b[1])) {
                differing.add(key);
            }
        }
        if (expected.isEmpty()) {
            out.append(rollup + ": the aggregation found no group\n");
        }
        if (!differing.isEmpty()) {
            String key = differing.first();
            out.append(
                    String.format(
                            "%s: %d of %d groups differ, e.g. %s: written %s, aggregated %s%n",
                            rollup,
                            differing.size(),
                            keys.size(),
                            key,
                            text(written.get(key)),
                            text(expected.get(key))));
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
    }

    private static String text(double[] row) {
        return row == null ? "none" : "count " + (long) row[0] + ", " + row[1];
    }

    /** The rollup's documents: group key to (count, metric); a group twice is a failure. */
    private Map<String, double[]> written(String rollupIndex, String rollup, String metric)
            throws IOException, InterruptedException {
        JsonNode hits =
                es.send(
                                "POST",
                                "/" + rollupIndex + "/_search",
                                "{\"size\":10000,\"query\":{\"term\":{\"rollup\":\""
                                        + rollup
                                        + "\"}}}")
                        .path("hits")
                        .path("hits");
        Map<String, double[]> rows = new HashMap<>();
        for (JsonNode hit : hits) {
            JsonNode doc = hit.path("_source");
            String key =
                    doc.has("window_start")
                            ? Instant.parse(doc.path("window_start").asText()).toEpochMilli()
                                    + "|"
                                    + doc.path("status").asText()
                            : doc.path("city").asText();
            double[] row = {doc.path("count").asLong(), doc.path(metric).asDouble()};
            if (rows.put(key, row) != null) {
                throw new AssertionError(rollup + " has two documents for group " + key);
            }
        }
        return rows;
    }

    private Map<String, double[]> usersByCity() throws IOException, InterruptedException {
        JsonNode buckets =
                es.send(
                                "POST",
                                "/" + users + "/_search",
                                "{\"size\":0,\"aggs\":{\"g\":{\"terms\":{\"field\":\"city\","
                                        + "\"size\":1000},\"aggs\":{\"m\":{\"avg\":"
                                        + "{\"field\":\"age\"}}}}}}")
                        .path("aggregations")
                        .path("g")
                        .path("buckets");
        Map<String, double[]> rows = new HashMap<>();
        for (JsonNode bucket : buckets) {
            rows.put(
                    bucket.path("key").asText(),
                    new double[] {
                        bucket.path("doc_count").asLong(), bucket.path("m").path("value").asDouble()
                    });
        }
        return rows;
    }

    private Map<String, double[]> ordersPerMinute() throws IOException, InterruptedException {
        Map<String, double[]> rows = new HashMap<>();
        String after = "";
        while (true) {
            JsonNode g =
                    es.send(
                                    "POST",
                                    "/" + orders + "/_search",
                                    "{\"size\":0,\"aggs\":{\"g\":{\"composite\":{\"size\":1000,"
                                            + after
                                            + "\"sources\":[{\"w\":{\"date_histogram\":{\"field\":"
                                            + "\"created_at\",\"fixed_interval\":\"1m\"}}},"
                                            + "{\"s\":{\"terms\":{\"field\":\"status\"}}}]},"
                                            + "\"aggs\":{\"m\":{\"sum\":{\"field\":\"amount\"}}}}}}")
                            .path("aggregations")
                            .path("g");
            for (JsonNode bucket : g.path("buckets")) {
                rows.put(
                        bucket.path("key").path("w").asLong()
                                + "|"
                                + bucket.path("key").path("s").asText(),
                        new double[] {
                            bucket.path("doc_count").asLong(),
                            bucket.path("m").path("value").asDouble()
                        });
            }
            if (g.path("buckets").isEmpty() || !g.has("after_key")) {
                return rows;
            }
            after = "\"after\":" + g.path("after_key") + ",";
        }
    }
}
