package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import javax.annotation.Nullable;

/**
 * What the split reader hands to the emitter: a record, or the SCAN position reached once every
 * record before it has been emitted.
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

    private RedisSplitElement(
            @Nullable RedisRecord record,
            int patternIndex,
            @Nullable String cursor,
            long keysScanned,
            long newKeysScanned) {
        this.record = record;
        this.patternIndex = patternIndex;
        this.cursor = cursor;
        this.keysScanned = keysScanned;
        this.newKeysScanned = newKeysScanned;
    }

    static RedisSplitElement record(RedisRecord record) {
        return new RedisSplitElement(record, -1, null, 0, 0);
    }

    /**
     * The position after a batch: pattern index and cursor, the total of keys scanned, and how many
     * of them this batch added.
     */
    static RedisSplitElement position(
            int patternIndex, String cursor, long keysScanned, long newKeysScanned) {
        return new RedisSplitElement(null, patternIndex, cursor, keysScanned, newKeysScanned);
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
