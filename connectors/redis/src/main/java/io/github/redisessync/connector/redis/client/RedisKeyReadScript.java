package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code read-key.lua} with its read limits: the one read of a key, behind {@link RedisKeyReader},
 * so that the source and everything comparing with it (verify, the sweep, reindex) agree on values
 * and on what is too big.
 */
final class RedisKeyReadScript {

    static final String RESOURCE = "read-key.lua";

    private final int maxValueElements;
    private final int maxValueBytes;
    private final byte[][] arguments;

    /** The limits of {@code read.max-value-elements} and {@code read.max-value-bytes}. */
    RedisKeyReadScript(int maxValueElements, int maxValueBytes) {
        this.maxValueElements = maxValueElements;
        this.maxValueBytes = maxValueBytes;
        this.arguments =
                new byte[][] {
                    Integer.toString(maxValueElements).getBytes(StandardCharsets.US_ASCII),
                    Integer.toString(maxValueBytes).getBytes(StandardCharsets.US_ASCII)
                };
    }

    /** The script's text, for {@code SCRIPT LOAD} or {@code EVAL}. */
    static byte[] source() {
        try (InputStream in = RedisKeyReadScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "The resource " + RESOURCE + " is missing from the connector jar.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the resource " + RESOURCE, e);
        }
    }

    /** The script's {@code ARGV}; its only {@code KEYS} entry is the key. */
    byte[][] arguments() {
        return arguments.clone();
    }

    /**
     * The record of {@code key} from the script's reply as Lettuce's {@code MULTI} output with a
     * byte-array codec delivers it; a value over a limit is omitted with the reason.
     */
    RedisRecord decode(byte[] key, List<?> reply, int database) {
        return RedisKeyReplyDecoder.decode(key, reply, database, maxValueElements, maxValueBytes);
    }
}
