package io.github.redisessync.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The per-item outcome of a {@code _bulk} answer, in request order (the servers answer items in the
 * order they were sent).
 *
 * <p>The writer asks for {@link #FILTER_PATH} only, so an answer without failures is a few bytes
 * per item and one without {@code errors} is not read item by item at all.
 */
final class BulkResponseItems {
    /** The parts of the answer the writer reads. */
    static final String FILTER_PATH =
            "errors,items.*.status,items.*.error.type,items.*.error.reason,"
                    + "items.*.error.caused_by.reason";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One item's outcome: its HTTP status and, for a failure, the server's reason. */
    record Item(int status, String errorType, String reason) {
        boolean failed() {
            return errorType != null;
        }

        /** As the server says it, e.g. {@code mapper_parsing_exception: failed to parse}. */
        String describe() {
            return errorType == null ? "status " + status : errorType + ": " + reason;
        }
    }

    private BulkResponseItems() {}

    /**
     * The outcome of each of {@code sent} items; an empty list when the answer says no item failed.
     *
     * @throws IOException when the answer is not a bulk answer for that many items
     */
    static List<Item> failuresOrEmpty(byte[] body, int sent) throws IOException {
        JsonNode root = JSON.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IOException("The bulk answer is not a JSON object.");
        }
        if (!root.path("errors").asBoolean(true)) {
            return List.of();
        }
        JsonNode items = root.path("items");
        if (!items.isArray() || items.size() != sent) {
            throw new IOException(
                    "The bulk answer holds "
                            + (items.isArray() ? items.size() : 0)
                            + " items for the "
                            + sent
                            + " sent.");
        }
        List<Item> outcomes = new ArrayList<>(sent);
        for (JsonNode item : items) {
            Iterator<JsonNode> op = item.elements();
            JsonNode result = op.hasNext() ? op.next() : JSON.createObjectNode();
            JsonNode error = result.path("error");
            String type = null;
            String reason = null;
            if (!error.isMissingNode() && !error.isNull()) {
                type = error.isObject() ? error.path("type").asText("error") : "error";
                reason = error.isObject() ? error.path("reason").asText("") : error.asText();
                String cause = error.path("caused_by").path("reason").asText("");
                if (!cause.isEmpty() && !reason.contains(cause)) {
                    reason = reason + " (" + cause + ")";
                }
            }
            outcomes.add(new Item(result.path("status").asInt(0), type, reason));
        }
        return outcomes;
    }
}
