package io.github.redisessync.tools.reindex;

import io.github.redisessync.connector.redis.publish.RedisChangePublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One thread changing hashes at a steady rate: updates most, deletes some and creates new ones (ids
 * up to {@code idRange}), each a plain Redis command as an application would send it, or, with a
 * stream, through {@link RedisChangePublisher} (the write and its entry in one atomic call).
 */
final class PacedWriter implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private final long startNanos = System.nanoTime();
    private volatile long stopNanos;
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong creates = new AtomicLong();

    PacedWriter(RedisClient client, String prefix, int opsPerSecond, int keys, int idRange) {
        this(client, prefix, opsPerSecond, keys, idRange, null);
    }

    /** With {@code stream} not null, every change also appends an entry to it. */
    PacedWriter(
            RedisClient client,
            String prefix,
            int opsPerSecond,
            int keys,
            int idRange,
            String stream) {
        thread =
                new Thread(
                        () -> run(client, prefix, opsPerSecond, keys, idRange, stream),
                        "paced-writer-" + prefix);
        thread.start();
    }

    private void run(
            RedisClient client,
            String prefix,
            int opsPerSecond,
            int keys,
            int idRange,
            String stream) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> plain = connection.sync();
            RedisChangePublisher published =
                    stream == null ? null : RedisChangePublisher.toStream(connection, stream, 0);
            BiConsumer<String, Map<String, String>> hset =
                    published == null ? plain::hset : published::hset;
            Consumer<String> del = published == null ? plain::del : published::del;
            SplittableRandom random = new SplittableRandom(42);
            long interval = TimeUnit.SECONDS.toNanos(1) / opsPerSecond;
            long next = System.nanoTime();
            for (long op = 0; !stopped; op++) {
                int dice = random.nextInt(100);
                if (dice < 80) {
                    hset.accept(prefix + random.nextInt(keys), Map.of("v", "changed " + op));
                    updates.incrementAndGet();
                } else if (dice < 90) {
                    del.accept(prefix + random.nextInt(idRange));
                    deletes.incrementAndGet();
                } else {
                    hset.accept(
                            prefix + (keys + random.nextInt(idRange - keys)),
                            Map.of("name", "created " + op, "v", "new"));
                    creates.incrementAndGet();
                }
                // Pacing, not waiting for a condition: a steady rate whatever the reindex does.
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    long operations() {
        return updates.get() + deletes.get() + creates.get();
    }

    /** Operations per second from start to stop. */
    double rate() {
        long end = stopNanos == 0 ? System.nanoTime() : stopNanos;
        return operations() / ((end - startNanos) / 1e9);
    }

    /** Stops after the current command and waits: every write it made has returned. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
        if (stopNanos == 0) {
            stopNanos = System.nanoTime();
        }
        if (failure != null) {
            throw new AssertionError("The writer failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
