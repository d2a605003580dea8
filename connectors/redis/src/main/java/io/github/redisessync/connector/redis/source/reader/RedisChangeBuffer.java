package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisChangeFeed;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.flink.metrics.Counter;

/**
 * The keys marked dirty by the tail and not re-read yet: bounded, de-duplicated, in arrival order.
 *
 * <p>A key already waiting is not added twice (one re-read serves every change before it). A key
 * that finds the buffer full is dropped and the overflow remembered: that is a gap, which the
 * reader heals with a rescan, so memory stays bounded however fast Redis is written. Pub/sub
 * threads offer, the fetcher thread drains.
 *
 * <p>Each key keeps the time its first waiting change arrived, so that the age of the oldest
 * pending change (how far the tail lags behind Redis) can be read at any time.
 */
final class RedisChangeBuffer implements RedisSourceMetrics.PendingChanges {

    private final int capacity;
    private final LongSupplier nanoClock;
    // Key -> System.nanoTime() of its first change since it was last drained; in arrival order.
    private final LinkedHashMap<ByteBuffer, Long> keys = new LinkedHashMap<>();
    private boolean overflowed;
    private boolean signalled;

    RedisChangeBuffer(int capacity) {
        this(capacity, System::nanoTime);
    }

    /** {@code nanoClock}: the monotonic clock arrival times and ages are measured with. */
    RedisChangeBuffer(int capacity, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    /**
     * What a {@link RedisChangeFeed} tells the buffer: each change of a key {@code taken} accepts
     * marks it dirty (counted in {@code received}); a lost feed wakes the fetcher, which heals the
     * gap.
     */
    RedisChangeFeed.Listener feedListener(Counter received, Predicate<byte[]> taken) {
        return new RedisChangeFeed.Listener() {
            @Override
            public void changed(byte[] key, boolean mayBeRemoved) {
                if (taken.test(key)) {
                    received.inc();
                    offer(key);
                }
            }

            @Override
            public void lost() {
                signal();
            }
        };
    }

    /** Marks a key dirty; false when the buffer was full and the key was dropped. */
    synchronized boolean offer(byte[] key) {
        ByteBuffer wrapped = ByteBuffer.wrap(key);
        if (keys.containsKey(wrapped)) {
            return true; // its earlier change is older, and its age is what lags
        }
        if (keys.size() >= capacity) {
            overflowed = true;
            notifyAll();
            return false;
        }
        keys.put(wrapped, nanoClock.getAsLong());
        notifyAll();
        return true;
    }

    /** Takes up to {@code max} keys, oldest first. */
    synchronized List<byte[]> drain(int max) {
        List<byte[]> drained = new ArrayList<>(Math.min(max, keys.size()));
        for (Iterator<ByteBuffer> it = keys.keySet().iterator();
                it.hasNext() && drained.size() < max; ) {
            drained.add(it.next().array());
            it.remove();
        }
        return drained;
    }

    @Override
    public synchronized long size() {
        return keys.size();
    }

    /** Nanoseconds since the oldest waiting change arrived; 0 when none waits. */
    @Override
    public synchronized long oldestAgeNanos() {
        if (keys.isEmpty()) {
            return 0;
        }
        return Math.max(0, nanoClock.getAsLong() - keys.values().iterator().next());
    }

    synchronized boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Whether a key was dropped since the last call; clears the flag. */
    synchronized boolean takeOverflow() {
        boolean was = overflowed;
        overflowed = false;
        return was;
    }

    /** Waits until a key arrives, {@link #signal()} is called, or the time is up. */
    synchronized void await(long millis) throws InterruptedException {
        if (keys.isEmpty() && !overflowed && !signalled && millis > 0) {
            wait(millis);
        }
        signalled = false;
    }

    /** Ends a current or the next {@link #await(long)} early (wake-up, lost connection). */
    synchronized void signal() {
        signalled = true;
        notifyAll();
    }
}
