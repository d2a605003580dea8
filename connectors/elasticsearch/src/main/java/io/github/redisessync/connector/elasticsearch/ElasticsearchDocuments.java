package io.github.redisessync.connector.elasticsearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * Documents read and written outside the sink, by whatever compares or repairs them ({@code
 * verify}, the job's catch-up sweep, {@code reindex}'s catch-up): batched gets, id scrolls and bulk
 * writes versioned with {@code external_gte} like the sink's, so none overwrites a newer change.
 */
public final class ElasticsearchDocuments implements AutoCloseable {
    public static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final RestClient client;

    public ElasticsearchDocuments(String url) {
        this.client =
                ElasticsearchRestClients.create(url, Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    /** With credentials and TLS files resolved where the job was built (see the sweep). */
    public ElasticsearchDocuments(
            String url, ElasticsearchCredentials credentials, ElasticsearchTls tls) {
        this.client =
                ElasticsearchRestClients.create(
                        url, credentials, tls, Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    /** The sources of the documents of {@code index} with these ids; absent ids are left out. */
    public Map<String, JsonNode> get(String index, List<String> ids) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("ids");
        ids.forEach(array::add);
        JsonNode answer = send("POST", "/" + index + "/_mget", body.toString());
        Map<String, JsonNode> found = new HashMap<>();
        for (JsonNode doc : answer.path("docs")) {
            if (doc.path("found").asBoolean(false)) {
                found.put(doc.path("_id").asText(), doc.path("_source"));
            }
        }
        return found;
    }

    /** Hands every document id of {@code index} to {@code batches}, {@code size} at a time. */
    public void scrollIds(String index, int size, Consumer<List<String>> batches) {
        scrollIds(index, size, batches, false);
    }

    /** As {@link #scrollIds(String, int, Consumer)}; a missing index has no ids when allowed. */
    public void scrollIds(
            String index, int size, Consumer<List<String>> batches, boolean allowMissing) {
        String missing = allowMissing ? "&ignore_unavailable=true" : "";
        JsonNode page =
                send(
                        "POST",
                        "/" + index + "/_search?scroll=2m" + missing,
                        "{\"size\":" + size + ",\"_source\":false,\"sort\":[\"_doc\"]}");
        String scrollId = page.path("_scroll_id").asText();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                List<String> ids = new ArrayList<>();
                page.path("hits").path("hits").forEach(hit -> ids.add(hit.path("_id").asText()));
                batches.accept(ids);
                page =
                        send(
                                "POST",
                                "/_search/scroll",
                                "{\"scroll\":\"2m\",\"scroll_id\":\"" + scrollId + "\"}");
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            send("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + scrollId + "\"}");
        }
    }

    /**
     * Sends NDJSON bulk lines; returns how many items failed for a reason other than a version
     * conflict (a conflict means Elasticsearch already holds a newer write, which is left alone).
     */
    public BulkResult bulk(String ndjson) {
        JsonNode answer = send("POST", "/_bulk", ndjson);
        BulkResult outcome = new BulkResult();
        for (JsonNode item : answer.path("items")) {
            JsonNode result = item.elements().next();
            int status = result.path("status").asInt();
            if (status == 409) {
                outcome.newerKept++;
            } else if (status >= 300 && status != 404) {
                outcome.failed++;
                outcome.firstError = result.path("error").toString();
            } else {
                outcome.written++;
            }
        }
        return outcome;
    }

    /** What a bulk request did. */
    public static final class BulkResult {
        int written;
        int newerKept;
        int failed;
        String firstError;

        /** Items applied (a delete of an absent document counts as applied). */
        public int written() {
            return written;
        }

        /** Items refused because Elasticsearch holds a newer version: left alone, by design. */
        public int newerKept() {
            return newerKept;
        }

        public int failed() {
            return failed;
        }

        /** The error of the last failed item, or null. */
        public String firstError() {
            return firstError;
        }
    }

    /**
     * Appends {@code action} to an NDJSON bulk body, versioned with {@code external_gte} like the
     * job's own writes, so that it never overwrites a newer change.
     */
    public static void appendVersioned(StringBuilder bulk, DocumentAction action) {
        if (action.getOp() == DocumentAction.Op.DELETE) {
            appendVersionedDelete(bulk, action.getIndex(), action.getId(), action.getVersion());
            return;
        }
        bulk.append(header("index", action.getIndex(), action.getId(), action.getVersion()))
                .append('\n')
                .append(new String(action.getSource(), StandardCharsets.UTF_8))
                .append('\n');
    }

    /** Appends a delete versioned with {@code external_gte} to an NDJSON bulk body. */
    public static void appendVersionedDelete(
            StringBuilder bulk, String index, String id, long version) {
        bulk.append(header("delete", index, id, version)).append('\n');
    }

    private static String header(String op, String index, String id, long version) {
        ObjectNode meta = JSON.createObjectNode();
        meta.putObject(op)
                .put("_index", index)
                .put("_id", id)
                .put("version", version)
                .put("version_type", "external_gte");
        return meta.toString();
    }

    public void refresh(String index) {
        send("POST", "/" + index + "/_refresh", null);
    }

    /** Refreshes {@code index} if it exists. */
    public void refreshIfExists(String index) {
        send("POST", "/" + index + "/_refresh?ignore_unavailable=true", null);
    }

    private JsonNode send(String method, String path, String body) {
        Request request = new Request(method, path);
        if (body != null) {
            ContentType type =
                    path.endsWith("_bulk")
                            ? ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)
                            : ContentType.APPLICATION_JSON;
            request.setEntity(new NByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), type));
        }
        try {
            Response response = client.performRequest(request);
            return JSON.readTree(EntityUtils.toString(response.getEntity()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
