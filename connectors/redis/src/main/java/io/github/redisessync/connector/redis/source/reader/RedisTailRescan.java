package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catch-up rescan of a tail after a gap: a SCAN pass from cursor 0 over the tail's patterns, of
 * every key or, after a Redis Cluster primary gained slots, of the keys of those slots only, ending
 * with the marker that asks for a sweep, versioned with the server time at its start.
 */
final class RedisTailRescan {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTailRescan.class);

    private final RedisTailSplit tail;
    private final RedisKeyScan scan;
    @Nullable private final BitSet slots;
    private final long startVersion;
    private long keysRead;

    /** {@code slots}: those to rescan, or null for every key. */
    RedisTailRescan(RedisTailSplit tail, @Nullable BitSet slots, long startVersion) {
        this.tail = tail;
        this.scan = RedisKeyScan.fromStart(tail.keyPatterns());
        this.slots = slots == null ? null : (BitSet) slots.clone();
        this.startVersion = startVersion;
    }

    /**
     * The slots a rescan of {@code slots} must cover when {@code running} (or null) had not
     * finished: the two together, as the new one starts over from cursor 0; null for every key.
     */
    @Nullable
    static BitSet widen(@Nullable RedisTailRescan running, BitSet slots) {
        if (running == null) {
            return slots;
        }
        if (running.slots == null) {
            return null;
        }
        BitSet union = (BitSet) slots.clone();
        union.or(running.slots);
        return union;
    }

    /** The next keys (see {@link RedisKeyScan#next}) of the slots rescanned. */
    List<byte[]> next(
            RedisConnection connection, int batchSize, int scanCount, BooleanSupplier stop)
            throws IOException {
        List<byte[]> keys = scan.next(connection, batchSize, scanCount, stop);
        if (slots != null) {
            keys.removeIf(key -> !slots.get(SlotHash.getSlot(key)));
        }
        keysRead += keys.size();
        return keys;
    }

    boolean isFinished() {
        return scan.isFinished();
    }

    /** The marker that ends a finished rescan: the consumer sweeps what it did not find. */
    RedisRecord finishedMarker() {
        LOG.info(
                "Catch-up rescan of {}{} finished: {} keys re-read since server time {}; emitting"
                        + " the marker that asks for a sweep of {}.",
                tail.splitId(),
                slots == null ? "" : " (slots " + RedisSlotWatch.ranges(slots) + ")",
                keysRead,
                startVersion,
                tail.keyPatterns());
        return RedisRecord.catchUpFinished(tail.keyPatterns(), startVersion, tail.database());
    }
}
