package io.github.redisessync.connector.redis.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the key out of a message on the application channel: either the raw key, or a JSON change
 * record {@code {"key": ..., "op": ..., "fields": {...}, "version": ...}}.
 *
 * <p>Only the key is used: the reader re-reads it, because a record carried in a message can be
 * older than a read the reader has already emitted (the scan may pass the key after the write but
 * before the message arrives), and without a version guard at the sink an older record written last
 * would leave a stale document. The re-read costs one pipelined script call.
 */
final class RedisChangeMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RedisChangeMessages() {}

    /**
     * The key a message names. A payload that starts with {@code {} and parses as a JSON object
     * with a text {@code key} is a change record; anything else (including a hash-tagged key such
     * as {@code {user}:1}) is the key itself. Null for an empty payload.
     */
    @Nullable
    static byte[] keyOf(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return null;
        }
        if (payload[0] == '{' && payload[payload.length - 1] == '}') {
            try {
                JsonNode node = JSON.readTree(payload);
                JsonNode key = node == null ? null : node.get("key");
                if (key != null && key.isTextual() && !key.asText().isEmpty()) {
                    return key.asText().getBytes(StandardCharsets.UTF_8);
                }
            } catch (IOException notJson) {
                // A key that merely looks like JSON.
            }
        }
        return payload;
    }
}
