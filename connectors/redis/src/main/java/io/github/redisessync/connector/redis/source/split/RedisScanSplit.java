package io.github.redisessync.connector.redis.source.split;

import java.util.List;
import java.util.Objects;

/**
 * A bounded SCAN of one node and database over a list of key patterns, with its position.
 *
 * <p>The position is the index of the pattern being scanned and the SCAN cursor within it ({@code
 * "0"} before the first call). The scan is finished when the pattern index reaches the number of
 * patterns. {@code keysScanned} counts the keys SCAN returned so far, for progress and metrics.
 */
public final class RedisScanSplit extends RedisSourceSplit {

    /** The cursor SCAN starts from and returns when a pass over the keyspace is complete. */
    public static final String INITIAL_CURSOR = "0";

    private final List<String> keyPatterns;
    private final int patternIndex;
    private final String cursor;
    private final long keysScanned;

    public RedisScanSplit(
            String node,
            int database,
            List<String> keyPatterns,
            int patternIndex,
            String cursor,
            long keysScanned) {
        super(node, database);
        if (keyPatterns == null || keyPatterns.isEmpty()) {
            throw new IllegalArgumentException("A scan split needs at least one key pattern.");
        }
        if (patternIndex < 0 || patternIndex > keyPatterns.size()) {
            throw new IllegalArgumentException(
                    "A scan split's pattern index must be between 0 and "
                            + keyPatterns.size()
                            + ", was "
                            + patternIndex);
        }
        this.keyPatterns = List.copyOf(keyPatterns);
        this.patternIndex = patternIndex;
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.keysScanned = keysScanned;
    }

    /** A split that has not started: first pattern, initial cursor. */
    public static RedisScanSplit initial(String node, int database, List<String> keyPatterns) {
        return new RedisScanSplit(node, database, keyPatterns, 0, INITIAL_CURSOR, 0L);
    }

    @Override
    public String splitId() {
        return "scan:" + node() + "/" + database();
    }

    @Override
    public RedisSplitKind kind() {
        return RedisSplitKind.SCAN;
    }

    public List<String> keyPatterns() {
        return keyPatterns;
    }

    public int patternIndex() {
        return patternIndex;
    }

    public String cursor() {
        return cursor;
    }

    public long keysScanned() {
        return keysScanned;
    }

    public boolean isFinished() {
        return patternIndex >= keyPatterns.size();
    }

    /**
     * True before the first SCAN call: first pattern, initial cursor, nothing scanned. A split
     * restored from a checkpoint taken later is not at its start.
     */
    public boolean isAtStart() {
        return patternIndex == 0 && INITIAL_CURSOR.equals(cursor) && keysScanned == 0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisScanSplit)) {
            return false;
        }
        RedisScanSplit that = (RedisScanSplit) o;
        return database() == that.database()
                && patternIndex == that.patternIndex
                && keysScanned == that.keysScanned
                && node().equals(that.node())
                && keyPatterns.equals(that.keyPatterns)
                && cursor.equals(that.cursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node(), database(), keyPatterns, patternIndex, cursor, keysScanned);
    }

    @Override
    public String toString() {
        return "RedisScanSplit{"
                + splitId()
                + ", patterns="
                + keyPatterns
                + ", patternIndex="
                + patternIndex
                + ", cursor="
                + cursor
                + ", keysScanned="
                + keysScanned
                + '}';
    }
}
