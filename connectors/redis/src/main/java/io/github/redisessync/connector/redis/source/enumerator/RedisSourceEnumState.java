package io.github.redisessync.connector.redis.source.enumerator;

import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: the splits not assigned to a reader yet, and whether the initial
 * splits were created (so a restore does not create splits that readers already own again).
 */
public final class RedisSourceEnumState {

    private final List<RedisSourceSplit> unassignedSplits;
    private final boolean initialSplitsCreated;

    public RedisSourceEnumState(
            List<RedisSourceSplit> unassignedSplits, boolean initialSplitsCreated) {
        this.unassignedSplits = List.copyOf(unassignedSplits);
        this.initialSplitsCreated = initialSplitsCreated;
    }

    public List<RedisSourceSplit> unassignedSplits() {
        return unassignedSplits;
    }

    public boolean initialSplitsCreated() {
        return initialSplitsCreated;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisSourceEnumState)) {
            return false;
        }
        RedisSourceEnumState that = (RedisSourceEnumState) o;
        return initialSplitsCreated == that.initialSplitsCreated
                && unassignedSplits.equals(that.unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unassignedSplits, initialSplitsCreated);
    }

    @Override
    public String toString() {
        return "RedisSourceEnumState{unassignedSplits="
                + unassignedSplits
                + ", initialSplitsCreated="
                + initialSplitsCreated
                + '}';
    }
}
