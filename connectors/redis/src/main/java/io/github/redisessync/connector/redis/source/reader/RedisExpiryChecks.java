package io.github.redisessync.connector.redis.source.reader;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keys to re-read when their TTL runs out, for the channel tail: Redis expires a key without any
 * writer publishing it, so the reader re-reads each key it saw with a TTL once that TTL is over
 * (the re-read then finds it gone and emits a delete). Bounded: beyond the capacity a check is
 * dropped and counted. Used by the fetcher thread only.
 */
final class RedisExpiryChecks {

    /** Redis expires a key within milliseconds of its deadline; re-read a little after it. */
    private static final long SLACK_NANOS = 20_000_000L;

    private final int capacity;
    private final PriorityQueue<Check> checks =
            new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private long dropped;

    RedisExpiryChecks(int capacity) {
        this.capacity = capacity;
    }

    /** Schedules a re-read of {@code key} after {@code ttlMillis}; false when full. */
    boolean schedule(byte[] key, long ttlMillis, long nowNanos) {
        if (checks.size() >= capacity) {
            dropped++;
            return false;
        }
        checks.add(new Check(nowNanos + ttlMillis * 1_000_000L + SLACK_NANOS, key));
        return true;
    }

    /** Takes up to {@code max} keys whose time has come. */
    List<byte[]> due(long nowNanos, int max) {
        List<byte[]> keys = new ArrayList<>();
        while (keys.size() < max && !checks.isEmpty() && checks.peek().dueNanos <= nowNanos) {
            keys.add(checks.poll().key);
        }
        return keys;
    }

    /** Nanoseconds until the next check is due; {@code Long.MAX_VALUE} when none is scheduled. */
    long nanosUntilNext(long nowNanos) {
        return checks.isEmpty() ? Long.MAX_VALUE : Math.max(0, checks.peek().dueNanos - nowNanos);
    }

    int size() {
        return checks.size();
    }

    long dropped() {
        return dropped;
    }

    private static final class Check {
        final long dueNanos;
        final byte[] key;

        Check(long dueNanos, byte[] key) {
            this.dueNanos = dueNanos;
            this.key = key;
        }
    }
}
