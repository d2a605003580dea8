package io.github.redisessync.connector.redis.source.split;

/**
 * A {@link RedisTailSplit} in a reader. A pub/sub tail has no progress; what it checkpoints is that
 * a reader held it, so the one that restores it knows notifications were missed. A stream tail also
 * checkpoints the last entry whose keys were emitted.
 */
public final class RedisTailSplitState implements RedisSourceSplitState {

    private final RedisTailSplit split;
    private String streamPosition;

    public RedisTailSplitState(RedisTailSplit split) {
        this.split = split;
        this.streamPosition = split.streamPosition();
    }

    /** Every key of the stream entries up to {@code id} has been emitted. */
    public void advanceTo(String id) {
        this.streamPosition = id;
    }

    @Override
    public RedisTailSplit toSplit() {
        return streamPosition.equals(split.streamPosition())
                ? split.asResumed()
                : split.asResumedAt(streamPosition);
    }
}
