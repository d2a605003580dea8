package io.github.redisessync.connector.redis.source.split;

/**
 * A {@link RedisTailSplit} in a reader. It has no progress; what it checkpoints is that a reader
 * held it, so the one that restores it knows notifications were missed.
 */
public final class RedisTailSplitState implements RedisSourceSplitState {

    private final RedisTailSplit split;

    public RedisTailSplitState(RedisTailSplit split) {
        this.split = split;
    }

    @Override
    public RedisTailSplit toSplit() {
        return split.asResumed();
    }
}
