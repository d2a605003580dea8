package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns the reply of {@code read-key.lua} into a {@link RedisRecord}. */
final class RedisKeyReplyDecoder {

    private RedisKeyReplyDecoder() {}

    /**
     * Decodes {@code {type, seconds, microseconds[, pttl, elements, bytes, exact, value|limit]}}:
     * strings arrive as {@code byte[]}, integers as {@code Long}, the value as a list, as Lettuce's
     * MULTI output with a byte-array codec delivers them. The limits are only named in the reason
     * of a value that was not read.
     */
    static RedisRecord decode(
            byte[] key, List<?> reply, int database, int maxValueElements, int maxValueBytes) {
        if (reply == null || reply.size() < 3) {
            throw new IllegalArgumentException(
                    "Unexpected reply for key "
                            + RedisRecord.printableKey(key)
                            + ": expected at least type and time, got "
                            + (reply == null ? "null" : reply.size() + " items"));
        }
        String typeReply = text(reply.get(0));
        long version = number(reply.get(1)) * 1_000_000L + number(reply.get(2));
        RedisDataType type = RedisDataType.fromTypeReply(typeReply);
        if (type == RedisDataType.NONE) {
            return RedisRecord.delete(key, version, database);
        }
        if (reply.size() < 8) {
            throw new IllegalArgumentException(
                    "Unexpected reply for key "
                            + RedisRecord.printableKey(key)
                            + ": expected 8 items, got "
                            + reply.size());
        }
        long ttlMillis = number(reply.get(3));
        Object value = reply.get(7);
        if (value instanceof List
                && type != RedisDataType.STREAM
                && type != RedisDataType.UNKNOWN) {
            return RedisRecord.upsert(
                    key, type, values((List<?>) value), version, ttlMillis, database);
        }
        String reason =
                reason(
                        typeReply,
                        text(value),
                        number(reply.get(4)),
                        number(reply.get(5)),
                        number(reply.get(6)) == 1,
                        maxValueElements,
                        maxValueBytes);
        return RedisRecord.omitted(key, type, reason, version, ttlMillis, database);
    }

    private static String reason(
            String type,
            String limit,
            long elements,
            long bytes,
            boolean exact,
            int maxValueElements,
            int maxValueBytes) {
        switch (limit) {
            case "max-value-elements":
                return "the "
                        + type
                        + " holds "
                        + elements
                        + " elements, over "
                        + RedisSourceOptions.READ_MAX_VALUE_ELEMENTS.key()
                        + " = "
                        + maxValueElements;
            case "max-value-bytes":
                String size = exact ? bytes + " bytes" : "more than " + bytes + " bytes";
                return "the "
                        + type
                        + " holds "
                        + size
                        + ", over "
                        + RedisSourceOptions.READ_MAX_VALUE_BYTES.key()
                        + " = "
                        + maxValueBytes;
            default:
                return "keys of type " + type + " are not read by this source";
        }
    }

    private static byte[][] values(List<?> items) {
        byte[][] values = new byte[items.size()][];
        for (int i = 0; i < values.length; i++) {
            Object item = items.get(i);
            if (item instanceof byte[]) {
                values[i] = (byte[]) item;
            } else if (item instanceof Long) {
                // Redis returns only bulk strings here; a number would come from a module.
                values[i] = item.toString().getBytes(StandardCharsets.US_ASCII);
            } else {
                throw new IllegalArgumentException(
                        "Unexpected value item of type "
                                + (item == null ? "null" : item.getClass().getSimpleName()));
            }
        }
        return values;
    }

    private static String text(Object item) {
        if (item instanceof byte[]) {
            return new String((byte[]) item, StandardCharsets.UTF_8);
        }
        return String.valueOf(item);
    }

    private static long number(Object item) {
        if (item instanceof Long) {
            return (Long) item;
        }
        if (item instanceof byte[]) {
            return Long.parseLong(new String((byte[]) item, StandardCharsets.US_ASCII));
        }
        throw new IllegalArgumentException("Expected an integer in the reply, got " + item);
    }
}
