package io.github.redisessync.job.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.deadletter.DeadLetterReason;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a record's value as named top-level values, before fields are renamed and typed: a hash's
 * fields as text, a string as its JSON object's members or as text under the value field, a list,
 * set or sorted set as an array under the value field.
 */
final class RecordValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordValues() {}

    /** The named values of {@code record}, in Redis's order. */
    static Map<String, JsonNode> read(RedisRecord record, DocumentShape shape) {
        byte[][] values = record.getValues();
        Map<String, JsonNode> named = new LinkedHashMap<>();
        switch (record.getType()) {
            case HASH:
                // The messages are built only on failure: this loop runs for every field.
                for (int i = 0; i + 1 < values.length; i += 2) {
                    String field;
                    String value;
                    try {
                        field = strictDecode(values[i]);
                    } catch (CharacterCodingException e) {
                        throw notUtf8("Field name " + printable(values[i]), values[i]);
                    }
                    try {
                        value = strictDecode(values[i + 1]);
                    } catch (CharacterCodingException e) {
                        throw notUtf8("Field '" + field + "'", values[i + 1]);
                    }
                    named.put(field, NODES.textNode(value));
                }
                return named;
            case STRING:
                String text = decode(values[0], "The string value");
                if (shape.stringFormat() == DocumentShape.StringFormat.RAW) {
                    named.put(shape.valueField(), NODES.textNode(text));
                    return named;
                }
                return members(parse(text), named);
            case JSON:
                return members(parse(decode(values[0], "The JSON value")), named);
            case LIST:
            case SET:
                ArrayNode elements = NODES.arrayNode(values.length);
                for (byte[] element : values) {
                    elements.add(decode(element, "An element"));
                }
                named.put(shape.valueField(), elements);
                return named;
            case ZSET:
                named.put(shape.valueField(), sortedSet(values, shape.zsetFormat()));
                return named;
            default:
                throw new IllegalStateException("Not a mapped type: " + record.getType());
        }
    }

    private static ArrayNode sortedSet(byte[][] values, DocumentShape.ZsetFormat format) {
        ArrayNode entries = NODES.arrayNode(values.length / 2);
        for (int i = 0; i + 1 < values.length; i += 2) {
            String member = decode(values[i], "A member");
            if (format == DocumentShape.ZsetFormat.MEMBERS) {
                entries.add(member);
                continue;
            }
            String score = new String(values[i + 1], StandardCharsets.US_ASCII);
            BigDecimal number;
            try {
                number = new BigDecimal(score);
            } catch (NumberFormatException e) {
                throw new MappingFailure(
                        DeadLetterReason.BAD_NUMBER,
                        "Member '"
                                + member
                                + "' has the score "
                                + score
                                + ", which Elasticsearch cannot store as a number.");
            }
            entries.addObject().put("member", member).put("score", number);
        }
        return entries;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MappingFailure(
                    DeadLetterReason.INVALID_JSON,
                    "The value is not valid JSON: "
                            + e.getOriginalMessage()
                            + " (line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + ").");
        }
    }

    private static Map<String, JsonNode> members(JsonNode json, Map<String, JsonNode> named) {
        if (json == null || !json.isObject()) {
            throw new MappingFailure(
                    DeadLetterReason.INVALID_JSON,
                    "The value is JSON but not an object ("
                            + (json == null
                                    ? "empty"
                                    : json.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                            + "), so it cannot be a document.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) json).fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            named.put(member.getKey(), member.getValue());
        }
        return named;
    }

    /** Strict UTF-8; {@code what} starts the sentence when the bytes are not UTF-8. */
    static String decode(byte[] bytes, String what) {
        try {
            return strictDecode(bytes);
        } catch (CharacterCodingException e) {
            throw notUtf8(what, bytes);
        }
    }

    private static MappingFailure notUtf8(String what, byte[] bytes) {
        return new MappingFailure(
                DeadLetterReason.VALUE_NOT_UTF8,
                what + " holds bytes that are not UTF-8: " + excerpt(printable(bytes)) + ".");
    }

    static String strictDecode(byte[] bytes) throws CharacterCodingException {
        // Most values are ASCII, which is valid UTF-8 as it is and copies straight into a String;
        // a CharsetDecoder per value was the mapping's largest single cost in a profile.
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Text for messages: UTF-8 where valid, other bytes as {@code \xNN}. */
    static String printable(byte[] bytes) {
        try {
            return strictDecode(bytes);
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < bytes.length && sb.length() < 400; i++) {
                byte b = bytes[i];
                if (b >= 0x20 && b < 0x7f && b != '\\') {
                    sb.append((char) b);
                } else {
                    sb.append(String.format("\\x%02x", b & 0xff));
                }
            }
            return sb.toString();
        }
    }

    static String excerpt(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
