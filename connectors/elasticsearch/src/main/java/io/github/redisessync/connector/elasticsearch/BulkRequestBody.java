package io.github.redisessync.connector.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The NDJSON body of a {@code _bulk} request for a list of writes, the format that Elasticsearch
 * 7.x to 9.x and OpenSearch 1.x to 3.x all read the same way.
 *
 * <p>Every write carries {@code version_type=external_gte} and its action's version (the Redis
 * server time of the read, in microseconds). The server then applies a write only if its version is
 * at least the stored one: a replay of the same action after a restore rewrites the same document
 * (equal version: accepted), and an older action is refused with a 409 that the writer counts and
 * skips. A delete leaves a versioned tombstone for {@code index.gc_deletes} (60 s by default); the
 * {@link DocumentVersionGate} before the sink covers the time after that.
 *
 * <p>Document sources are copied as they are: the mapping wrote them once as single-line JSON
 * ({@link #isSingleLine}), so nothing here parses or re-serializes them.
 */
final class BulkRequestBody {
    /** Bytes of an action line besides index and id, for sizing a buffer before it is built. */
    static final int ACTION_LINE_OVERHEAD = 96;

    private BulkRequestBody() {}

    /** The body writing {@code actions}, in order. */
    static byte[] of(List<DocumentAction> actions) {
        int size = 0;
        for (DocumentAction action : actions) {
            size += estimatedBytes(action);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (DocumentAction action : actions) {
            append(action, out);
        }
        return out.toByteArray();
    }

    /** About how many bytes {@code action} adds to a body; at least its source's length. */
    static int estimatedBytes(DocumentAction action) {
        byte[] source = action.getSource();
        return ACTION_LINE_OVERHEAD
                + action.getIndex().length()
                + action.getId().length()
                + (source == null ? 0 : source.length + 1);
    }

    /**
     * Whether {@code source} can be one NDJSON line: a raw line break would end the document early
     * and make the server refuse the whole request, not just this item. JSON needs none (inside
     * strings they are escaped), so only a pretty-printed source has one.
     */
    static boolean isSingleLine(byte[] source) {
        for (byte b : source) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        return true;
    }

    private static void append(DocumentAction action, ByteArrayOutputStream out) {
        boolean index = action.getOp() == DocumentAction.Op.INDEX;
        if (!index && action.getOp() != DocumentAction.Op.DELETE) {
            throw new IllegalArgumentException("Not a write: " + action);
        }
        StringBuilder line = new StringBuilder(ACTION_LINE_OVERHEAD);
        line.append(index ? "{\"index\":{\"_index\":" : "{\"delete\":{\"_index\":");
        appendString(line, action.getIndex());
        line.append(",\"_id\":");
        appendString(line, action.getId());
        line.append(",\"version\":")
                .append(action.getVersion())
                .append(",\"version_type\":\"external_gte\"}}\n");
        out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
        if (index) {
            out.writeBytes(action.getSource());
            out.write('\n');
        }
    }

    /** {@code value} as a JSON string: ids come from Redis keys and may hold any character. */
    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
