package io.github.redisessync.job.tail;

import io.github.redisessync.connector.redis.publish.RedisChangePublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent writers for the tail tests: each updates, deletes, expires (short PEXPIRE) and creates
 * hashes under a prefix, directly or through {@link RedisChangePublisher}, at a steady pace.
 */
final class TailWriters implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    final AtomicLong operations = new AtomicLong();
    private final List<Throwable> failures = new ArrayList<>();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong expires = new AtomicLong();
    final AtomicLong creates = new AtomicLong();

    /**
     * Starts {@code count} writers, each writing at about {@code opsPerSecond} on ids {@code 0 ..
     * idRange-1} until {@link #stop()}; with a channel they publish every write.
     */
    TailWriters(
            RedisClient client,
            String prefix,
            int count,
            int opsPerSecond,
            int idRange,
            String channel) {
        for (int w = 0; w < count; w++) {
            int writer = w;
            Thread thread =
                    new Thread(
                            () -> run(client, prefix, writer, opsPerSecond, idRange, channel),
                            "tail-writer-" + w);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(
            RedisClient client,
            String prefix,
            int writer,
            int opsPerSecond,
            int idRange,
            String channel) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            RedisChangePublisher publisher =
                    channel == null ? null : new RedisChangePublisher(connection, channel);
            SplittableRandom random = new SplittableRandom(writer * 7919L + 1);
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / opsPerSecond;
            long next = System.nanoTime();
            for (int op = 0; !stopped; op++) {
                String key = prefix + random.nextInt(idRange);
                int dice = random.nextInt(100);
                if (dice < 50) {
                    Map<String, String> fields = Map.of("v", writer + "-" + op, "by", "w" + writer);
                    if (publisher != null) {
                        publisher.hset(key, fields);
                    } else {
                        redis.hset(key, fields);
                    }
                    updates.incrementAndGet();
                } else if (dice < 65) {
                    if (publisher != null) {
                        publisher.del(key);
                    } else {
                        redis.del(key);
                    }
                    deletes.incrementAndGet();
                } else if (dice < 80) {
                    long millis = 20 + random.nextInt(300);
                    if (publisher != null) {
                        publisher.pexpire(key, millis);
                    } else {
                        redis.pexpire(key, millis);
                    }
                    expires.incrementAndGet();
                } else {
                    Map<String, String> fields =
                            Map.of("name", "created " + op, "v", "new", "by", "w" + writer);
                    if (publisher != null) {
                        publisher.del(key);
                        publisher.hset(key, fields);
                    } else {
                        redis.del(key);
                        redis.hset(key, fields);
                    }
                    creates.incrementAndGet();
                }
                operations.incrementAndGet();
                // Pacing, not waiting for a condition: a steady write rate across the snapshot.
                next += intervalNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (Throwable t) {
            synchronized (failures) {
                failures.add(t);
            }
        }
    }

    /** Stops every writer after its current operation and waits for them. */
    void stop() throws InterruptedException {
        stopped = true;
        join();
    }

    /** Waits for every writer to finish; rethrows the first failure. */
    void join() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                throw new AssertionError("A writer failed", failures.get(0));
            }
        }
    }

    @Override
    public String toString() {
        return updates
                + " updates, "
                + deletes
                + " deletes, "
                + expires
                + " expires, "
                + creates
                + " creates";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
