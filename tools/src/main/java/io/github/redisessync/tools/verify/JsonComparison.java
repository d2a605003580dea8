package io.github.redisessync.tools.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares a document as the job would write it with the one Elasticsearch holds. Numbers compare
 * by value, since the 7.x client re-encodes decimals ({@code 3.50} is stored as {@code 3.5}).
 */
final class JsonComparison {

    private JsonComparison() {}

    /** A sentence naming the first field that differs, or null when the documents are equal. */
    static String firstDifference(JsonNode expected, JsonNode actual) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode other = actual.get(field.getKey());
            if (other == null) {
                return "field '" + field.getKey() + "' is missing in Elasticsearch";
            }
            if (!same(field.getValue(), other)) {
                return "field '"
                        + field.getKey()
                        + "' is "
                        + field.getValue()
                        + " in Redis, "
                        + other
                        + " in Elasticsearch";
            }
        }
        for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!expected.has(name)) {
                return "field '" + name + "' is in Elasticsearch but not in Redis";
            }
        }
        return null;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            return firstDifference(a, b) == null;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
