package io.github.redisessync.connector.redis.source.split;

/** The mutable progress of one split inside a reader; converts back to an immutable split. */
public interface RedisSourceSplitState {

    /** The split at the current progress, for a checkpoint. */
    RedisSourceSplit toSplit();
}
