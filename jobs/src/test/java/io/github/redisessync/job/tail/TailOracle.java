package io.github.redisessync.job.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The tail tests' oracle, made of raw Lettuce and HTTP calls rather than the product's code: what
 * Redis holds under a prefix and what an index holds, both as document id to fields, and the
 * differences: missing, extra and stale documents.
 */
final class TailOracle {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TailOracle() {}

    /** Every hash under {@code prefix}, by the rest of its key (SCAN, then pipelined HGETALL). */
    static Map<String, Map<String, String>> redis(
            RedisAsyncCommands<String, String> redis, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000))
                            .get(30, TimeUnit.SECONDS);
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        List<RedisFuture<Map<String, String>>> values = new ArrayList<>();
        for (String key : keys) {
            values.add(redis.hgetall(key));
        }
        Map<String, Map<String, String>> byId = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Map<String, String> fields = values.get(i).get(30, TimeUnit.SECONDS);
            if (!fields.isEmpty()) {
                byId.put(keys.get(i).substring(prefix.length()), fields);
            }
        }
        return byId;
    }

    /** Every document of {@code index}, by id, read with a scroll after a refresh. */
    static Map<String, Map<String, String>> elasticsearch(String url, String index)
            throws IOException, InterruptedException {
        send(url, "POST", "/" + index + "/_refresh", null);
        Map<String, Map<String, String>> byId = new HashMap<>();
        JsonNode page =
                send(
                        url,
                        "POST",
                        "/" + index + "/_search?scroll=1m",
                        "{\"size\":5000,\"sort\":[\"_doc\"]}");
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                Map<String, String> fields = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = hit.path("_source").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    fields.put(field.getKey(), field.getValue().asText());
                }
                byId.put(hit.path("_id").asText(), fields);
            }
            String scrollId = page.path("_scroll_id").asText();
            page =
                    send(
                            url,
                            "POST",
                            "/_search/scroll",
                            "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}");
        }
        return byId;
    }

    /** Ids missing from the index, extra in it, and with other fields than Redis holds. */
    static String differences(
            Map<String, Map<String, String>> redis, Map<String, Map<String, String>> index) {
        TreeSet<String> missing = new TreeSet<>(redis.keySet());
        missing.removeAll(index.keySet());
        TreeSet<String> extra = new TreeSet<>(index.keySet());
        extra.removeAll(redis.keySet());
        TreeSet<String> stale = new TreeSet<>();
        redis.forEach(
                (id, fields) -> {
                    if (index.containsKey(id) && !Objects.equals(fields, index.get(id))) {
                        stale.add(id);
                    }
                });
        if (missing.isEmpty() && extra.isEmpty() && stale.isEmpty()) {
            return "";
        }
        return missing.size()
                + " missing "
                + first(missing)
                + ", "
                + extra.size()
                + " extra "
                + first(extra)
                + ", "
                + stale.size()
                + " stale "
                + first(stale);
    }

    private static List<String> first(TreeSet<String> ids) {
        List<String> some = new ArrayList<>();
        for (String id : ids) {
            if (some.size() == 5) {
                break;
            }
            some.add(id);
        }
        return some;
    }

    private static JsonNode send(String url, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " -> " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
