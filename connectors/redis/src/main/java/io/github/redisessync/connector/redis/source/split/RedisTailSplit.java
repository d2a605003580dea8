package io.github.redisessync.connector.redis.source.split;

import io.github.redisessync.connector.redis.source.RedisTailMode;
import java.util.List;
import java.util.Objects;

/**
 * The change feed of one node and database: a pub/sub subscription (keyspace notifications for the
 * key patterns, or an application channel) that never finishes.
 *
 * <p>It has no position to checkpoint, since pub/sub cannot replay. {@code resumed} is what a
 * checkpoint records instead: a split that a reader held before (it comes back from a checkpoint or
 * a failover) has missed the notifications of the time in between, so the reader that gets it
 * treats it as a gap and catches up with a rescan.
 */
public final class RedisTailSplit extends RedisSourceSplit {

    private final RedisTailMode mode;
    private final String channel;
    private final List<String> keyPatterns;
    private final boolean resumed;

    public RedisTailSplit(
            String node,
            int database,
            RedisTailMode mode,
            String channel,
            List<String> keyPatterns,
            boolean resumed) {
        super(node, database);
        if (mode == null || mode == RedisTailMode.NONE) {
            throw new IllegalArgumentException(
                    "A tail split needs a tail mode (KEYSPACE or CHANNEL), was " + mode);
        }
        if (mode == RedisTailMode.CHANNEL && (channel == null || channel.isEmpty())) {
            throw new IllegalArgumentException("A channel tail split needs a channel name.");
        }
        if (keyPatterns == null || keyPatterns.isEmpty()) {
            throw new IllegalArgumentException("A tail split needs at least one key pattern.");
        }
        this.mode = mode;
        this.channel = mode == RedisTailMode.CHANNEL ? channel : "";
        this.keyPatterns = List.copyOf(keyPatterns);
        this.resumed = resumed;
    }

    @Override
    public String splitId() {
        return "tail:" + node() + "/" + database();
    }

    @Override
    public RedisSplitKind kind() {
        return RedisSplitKind.TAIL;
    }

    public RedisTailMode mode() {
        return mode;
    }

    /** The application channel; empty for keyspace notifications. */
    public String channel() {
        return channel;
    }

    /** The keys this tail follows (and rescans after a gap). */
    public List<String> keyPatterns() {
        return keyPatterns;
    }

    /** True when a reader held this split before: the subscription had a gap. */
    public boolean isResumed() {
        return resumed;
    }

    /** This split as a reader checkpoints it. */
    public RedisTailSplit asResumed() {
        return resumed
                ? this
                : new RedisTailSplit(node(), database(), mode, channel, keyPatterns, true);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisTailSplit)) {
            return false;
        }
        RedisTailSplit that = (RedisTailSplit) o;
        return database() == that.database()
                && resumed == that.resumed
                && node().equals(that.node())
                && mode == that.mode
                && channel.equals(that.channel)
                && keyPatterns.equals(that.keyPatterns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node(), database(), mode, channel, keyPatterns, resumed);
    }

    @Override
    public String toString() {
        return "RedisTailSplit{"
                + splitId()
                + ", mode="
                + mode
                + (channel.isEmpty() ? "" : ", channel=" + channel)
                + ", patterns="
                + keyPatterns
                + ", resumed="
                + resumed
                + '}';
    }
}
