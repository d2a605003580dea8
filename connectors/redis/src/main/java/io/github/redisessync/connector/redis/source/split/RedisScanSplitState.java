package io.github.redisessync.connector.redis.source.split;

/**
 * The progress of a {@link RedisScanSplit} in a reader: the SCAN position of the last batch whose
 * records were all emitted.
 */
public final class RedisScanSplitState implements RedisSourceSplitState {

    private final RedisScanSplit split;
    private int patternIndex;
    private String cursor;
    private long keysScanned;

    public RedisScanSplitState(RedisScanSplit split) {
        this.split = split;
        this.patternIndex = split.patternIndex();
        this.cursor = split.cursor();
        this.keysScanned = split.keysScanned();
    }

    /** Moves the position forward once every record read before it has been emitted. */
    public void advanceTo(int patternIndex, String cursor, long keysScanned) {
        this.patternIndex = patternIndex;
        this.cursor = cursor;
        this.keysScanned = keysScanned;
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

    @Override
    public RedisScanSplit toSplit() {
        return new RedisScanSplit(
                split.node(),
                split.database(),
                split.keyPatterns(),
                patternIndex,
                cursor,
                keysScanned);
    }
}
