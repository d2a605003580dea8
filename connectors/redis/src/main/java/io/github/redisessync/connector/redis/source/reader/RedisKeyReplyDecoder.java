package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns the reply of {@code read-key.lua} into a {@link RedisRecord}. */
final class RedisKeyReplyDecoder {

    private RedisKeyReplyDecoder() {}

    /**
     * Decodes {@code {type, seconds, microseconds[, pttl, size[, {value...}]]}}: strings arrive as
     * {@code byte[]}, integers as {@code Long}, the value as a list, as Lettuce's MULTI output with
     * a byte-array codec delivers them.
     */
    static RedisRecord decode(byte[] key, List<?> reply, int database) {
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
        long ttlMillis = number(reply.get(3));
        byte[][] values = reply.size() > 5 ? values((List<?>) reply.get(5)) : null;
        if (type == RedisDataType.STREAM || type == RedisDataType.UNKNOWN) {
            // Not read yet: omitted, so no consumer mistakes it for an empty value.
            values = null;
        }
        return RedisRecord.upsert(key, type, values, version, ttlMillis, database);
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
