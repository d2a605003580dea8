package io.github.redisessync.connector.redis.source.split;

import io.github.redisessync.connector.redis.source.RedisTailMode;
import java.util.List;
import java.util.Objects;

/**
 * The change feed of one node and database: a pub/sub subscription (keyspace notifications for the
 * key patterns, or an application channel) that never finishes.
 *
 * <p>A pub/sub tail has no position to checkpoint, since pub/sub cannot replay. {@code resumed} is
 * what a checkpoint records instead: a split that a reader held before (it comes back from a
 * checkpoint or a failover) has missed the notifications of the time in between, so the reader that
 * gets it treats it as a gap and catches up with a rescan.
 *
 * <p>A stream tail ({@link RedisTailMode#STREAM}) has a position: the id of the last entry whose
 * keys were handed downstream ({@link #streamPosition}), empty before the reader first took it.
 * Restored with one, it reads on from there and is no gap, unless the stream was trimmed past it.
 */
public final class RedisTailSplit extends RedisSourceSplit {

    private final RedisTailMode mode;
    private final String channel;
    private final List<String> keyPatterns;
    private final boolean resumed;
    private final String streamPosition;

    public RedisTailSplit(
            String node,
            int database,
            RedisTailMode mode,
            String channel,
            List<String> keyPatterns,
            boolean resumed) {
        this(node, database, mode, channel, keyPatterns, resumed, "");
    }

    /**
     * @param channel the application channel, or the stream's key for {@link RedisTailMode#STREAM}
     * @param streamPosition the last stream entry id handed downstream, "" for none
     */
    public RedisTailSplit(
            String node,
            int database,
            RedisTailMode mode,
            String channel,
            List<String> keyPatterns,
            boolean resumed,
            String streamPosition) {
        super(node, database);
        if (mode == null || mode == RedisTailMode.NONE) {
            throw new IllegalArgumentException(
                    "A tail split needs a tail mode (KEYSPACE, CHANNEL or STREAM), was " + mode);
        }
        if (mode != RedisTailMode.KEYSPACE && (channel == null || channel.isEmpty())) {
            throw new IllegalArgumentException(
                    "A " + mode + " tail split needs a channel or stream name.");
        }
        if (streamPosition == null || (mode != RedisTailMode.STREAM && !streamPosition.isEmpty())) {
            throw new IllegalArgumentException(
                    "Only a STREAM tail split has a position, got '" + streamPosition + "'.");
        }
        if (keyPatterns == null || keyPatterns.isEmpty()) {
            throw new IllegalArgumentException("A tail split needs at least one key pattern.");
        }
        this.mode = mode;
        this.channel = mode == RedisTailMode.KEYSPACE ? "" : channel;
        this.keyPatterns = List.copyOf(keyPatterns);
        this.resumed = resumed;
        this.streamPosition = streamPosition;
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

    /** The application channel, or the stream's key; empty for keyspace notifications. */
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

    /** The id of the last stream entry handed downstream; empty for none (or not a stream). */
    public String streamPosition() {
        return streamPosition;
    }

    /** This split as a reader checkpoints it. */
    public RedisTailSplit asResumed() {
        return resumed
                ? this
                : new RedisTailSplit(
                        node(), database(), mode, channel, keyPatterns, true, streamPosition);
    }

    /** This split as a reader checkpoints it after handing on the stream entry {@code id}. */
    public RedisTailSplit asResumedAt(String id) {
        return new RedisTailSplit(node(), database(), mode, channel, keyPatterns, true, id);
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
                && keyPatterns.equals(that.keyPatterns)
                && streamPosition.equals(that.streamPosition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                node(), database(), mode, channel, keyPatterns, resumed, streamPosition);
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
                + (streamPosition.isEmpty() ? "" : ", position=" + streamPosition)
                + '}';
    }
}
