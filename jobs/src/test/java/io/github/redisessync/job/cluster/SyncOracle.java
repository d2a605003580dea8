package io.github.redisessync.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The test's own judge of a sync, sharing no code with the product's {@code verify}: every hash
 * under a key pattern read from Redis with Lettuce, every document of its index read from
 * Elasticsearch with a scroll, compared key by key and field by field; and each rollup compared
 * with the aggregation Elasticsearch computes itself over the synced documents ({@link
 * RollupOracle}).
 */
final class SyncOracle {
    private final String redisUri;
    private final SearchClient es;
    private final List<String[]> indexes = new ArrayList<>();
    private final RollupOracle rollups;

    /** {@code rollups} may be null: documents only. */
    SyncOracle(String redisUri, SearchClient es, RollupOracle rollups) {
        this.redisUri = redisUri;
        this.es = es;
        this.rollups = rollups;
    }

    /** Documents of {@code index} must equal the hashes {@code keyPrefix<id>}. */
    SyncOracle index(String keyPrefix, String index) {
        indexes.add(new String[] {keyPrefix, index});
        return this;
    }

    /** What differs, one line per kind of difference and index; empty when all is equal. */
    String differences() throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        for (String[] pair : indexes) {
            compare(pair[0], pair[1], out);
        }
        if (rollups != null) {
            rollups.compare(out);
        }
        return out.toString();
    }

    /** Keys in Redis that have no document, over every index: for waiting on a snapshot. */
    long missingDocuments() throws IOException, InterruptedException {
        long missing = 0;
        for (String[] pair : indexes) {
            Map<String, JsonNode> documents = documents(pair[1]);
            missing +=
                    hashes(pair[0]).keySet().stream()
                            .filter(id -> !documents.containsKey(id))
                            .count();
        }
        return missing;
    }

    /**
     * Polls until nothing differs; returns how long that took. Fails with the last differences
     * after {@code timeout}.
     */
    Duration awaitEqual(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String last = "";
        while (System.nanoTime() - start < timeout.toNanos()) {
            last = differences();
            if (last.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // polling interval
        }
        throw new AssertionError("Still differing after " + timeout + ":\n" + last);
    }

    private void compare(String keyPrefix, String index, StringBuilder out)
            throws IOException, InterruptedException {
        Map<String, Map<String, String>> redis = hashes(keyPrefix);
        Map<String, JsonNode> documents = documents(index);
        long count = es.send("GET", "/" + index + "/_count", null).path("count").asLong();
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> differing = new TreeSet<>();
        redis.forEach(
                (id, hash) -> {
                    JsonNode document = documents.get(id);
                    if (document == null) {
                        missing.add(id);
                    } else if (!sameFields(hash, document)) {
                        differing.add(id);
                    }
                });
        TreeSet<String> extra = new TreeSet<>(documents.keySet());
        extra.removeAll(redis.keySet());
        if (!missing.isEmpty() || !extra.isEmpty() || !differing.isEmpty()) {
            out.append(
                    String.format(
                            "%s: %d keys, %d documents: %d missing %s, %d extra %s, %d differing"
                                    + " %s (e.g. %s)%n",
                            index,
                            redis.size(),
                            documents.size(),
                            missing.size(),
                            first(missing),
                            extra.size(),
                            first(extra),
                            differing.size(),
                            first(differing),
                            differing.isEmpty()
                                    ? ""
                                    : redis.get(differing.first())
                                            + " vs "
                                            + documents.get(differing.first())));
        } else if (count != redis.size()) {
            out.append(index + ": _count " + count + " but " + redis.size() + " keys\n");
        }
    }

    /** Same field names, each value equal as its mapped type shows it (text, number, boolean). */
    static boolean sameFields(Map<String, String> hash, JsonNode document) {
        if (document.size() != hash.size()) {
            return false;
        }
        for (Map.Entry<String, String> field : hash.entrySet()) {
            JsonNode value = document.get(field.getKey());
            if (value == null || !sameValue(field.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(String text, JsonNode value) {
        if (value.isNumber()) {
            try {
                return new BigDecimal(text).compareTo(value.decimalValue()) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (value.isBoolean()) {
            return String.valueOf(value.booleanValue()).equals(text);
        }
        return value.isTextual() && value.asText().equals(text);
    }

    private static String first(TreeSet<String> ids) {
        return ids.stream().limit(5).toList().toString();
    }

    /** Every hash whose key starts with {@code keyPrefix}, by the rest of its key. */
    private Map<String, Map<String, String>> hashes(String keyPrefix) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            Map<String, RedisFuture<Map<String, String>>> pending = new LinkedHashMap<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page =
                        redis.scan(cursor, ScanArgs.Builder.matches(keyPrefix + "*").limit(1000))
                                .get(30, TimeUnit.SECONDS);
                for (String key : page.getKeys()) {
                    pending.put(key.substring(keyPrefix.length()), redis.hgetall(key));
                }
                cursor = page;
            } while (!cursor.isFinished());
            Map<String, Map<String, String>> hashes = new HashMap<>();
            for (Map.Entry<String, RedisFuture<Map<String, String>>> e : pending.entrySet()) {
                Map<String, String> hash = e.getValue().get(30, TimeUnit.SECONDS);
                if (!hash.isEmpty()) { // expired or deleted between SCAN and HGETALL
                    hashes.put(e.getKey(), hash);
                }
            }
            return hashes;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read " + keyPrefix + "* from Redis", e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Every document of {@code index} by id, through a scroll (refreshed first). */
    private Map<String, JsonNode> documents(String index) throws IOException, InterruptedException {
        es.send("POST", "/" + index + "/_refresh", null);
        Map<String, JsonNode> documents = new HashMap<>();
        JsonNode page =
                es.send(
                        "POST",
                        "/" + index + "/_search?scroll=1m",
                        "{\"size\":5000,\"sort\":[\"_doc\"],\"query\":{\"match_all\":{}}}");
        while (true) {
            JsonNode hits = page.path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode hit : hits) {
                if (documents.put(hit.path("_id").asText(), hit.path("_source")) != null) {
                    throw new AssertionError("Document " + hit.path("_id") + " came twice");
                }
            }
            page =
                    es.send(
                            "POST",
                            "/_search/scroll",
                            "{\"scroll\":\"1m\",\"scroll_id\":\""
                                    + page.path("_scroll_id").asText()
                                    + "\"}");
        }
        es.send(
                "DELETE",
                "/_search/scroll",
                "{\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
        return documents;
    }
}
