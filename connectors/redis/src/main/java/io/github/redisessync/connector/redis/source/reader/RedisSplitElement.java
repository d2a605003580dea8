package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import javax.annotation.Nullable;

/**
 * What the split reader hands to the emitter: a record, or the position reached once every record
 * before it has been emitted (a SCAN position, or the last stream entry of a stream tail).
 *
 * <p>The position travels as its own element after a batch's records, so a checkpoint taken in the
 * middle of a batch still holds the position before it: the batch is read again after a restore
 * rather than lost.
 */
public final class RedisSplitElement {

    @Nullable private final RedisRecord record;
    private final int patternIndex;
    @Nullable private final String cursor;
    private final long keysScanned;
    private final long newKeysScanned;
    @Nullable private final String streamPosition;

    private RedisSplitElement(
            @Nullable RedisRecord record,
            int patternIndex,
            @Nullable String cursor,
            long keysScanned,
            long newKeysScanned,
            @Nullable String streamPosition) {
        this.record = record;
        this.streamPosition = streamPosition;
        this.patternIndex = patternIndex;
        this.cursor = cursor;
        this.keysScanned = keysScanned;
        this.newKeysScanned = newKeysScanned;
    }

    static RedisSplitElement record(RedisRecord record) {
        return new RedisSplitElement(record, -1, null, 0, 0, null);
    }

    /**
     * The position after a batch: pattern index and cursor, the total of keys scanned, and how many
     * of them this batch added.
     */
    static RedisSplitElement position(
            int patternIndex, String cursor, long keysScanned, long newKeysScanned) {
        return new RedisSplitElement(null, patternIndex, cursor, keysScanned, newKeysScanned, null);
    }

    /** The stream tail's position after a batch: every key of the entries up to {@code id}. */
    static RedisSplitElement streamPosition(String id) {
        return new RedisSplitElement(null, -1, null, 0, 0, id);
    }

    /** The stream entry id of a stream tail's position, or null for any other element. */
    @Nullable
    public String streamPosition() {
        return streamPosition;
    }

    public boolean isRecord() {
        return record != null;
    }

    @Nullable
    public RedisRecord record() {
        return record;
    }

    public int patternIndex() {
        return patternIndex;
    }

    @Nullable
    public String cursor() {
        return cursor;
    }

    public long keysScanned() {
        return keysScanned;
    }

    public long newKeysScanned() {
        return newKeysScanned;
    }
}
