package io.github.redisessync.job.cluster;

import io.github.redisessync.connector.redis.publish.RedisChangePublisher;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The independent writer of the fault tests, run in a JVM of its own by {@link WriterProcess}:
 * changes, creates and deletes users and orders of a {@link FaultData} at a fixed rate, until it
 * has made {@code changes} changes or {@code seconds} have passed, then exits by itself.
 *
 * <p>Arguments: {@code redisUri prefix users orders perSecond changes seconds seed [stream
 * maxLength]}. With a stream, every change goes through {@link RedisChangePublisher#toStream} (the
 * write and its entry in one Lua call), one at a time, as a user's application of the stream tail
 * writes. It prints {@code progress N} lines and ends with {@code done changes=N failed=F}. A write
 * Redis refuses (while it restarts) is counted as failed and not retried: only what Redis
 * acknowledged counts. A line on its standard input ends it early, as if its time were up; it exits
 * when its standard input closes, so that it never outlives a killed test JVM.
 */
public final class ChangeWriter {

    private static final long CATCH_UP = TimeUnit.MILLISECONDS.toNanos(100);

    private static volatile boolean stopped;

    private ChangeWriter() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        FaultData data =
                new FaultData(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        int perSecond = Integer.parseInt(args[4]);
        long changes = Long.parseLong(args[5]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[6]));
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[7]));
        String stream = args.length > 8 ? args[8] : null;
        long maxLength = args.length > 9 ? Long.parseLong(args[9]) : 0;
        watchStandardInput();

        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(redisUri);
        // Fail at once while Redis is down instead of queueing writes for its return.
        client.setOptions(
                ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build());
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // Up to 256 writes in flight on one connection (which keeps their order): the rate holds
        // on a busy machine, where a round trip per write would cap it far below.
        Semaphore inFlight = new Semaphore(256);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            RedisChangePublisher publisher =
                    stream == null
                            ? null
                            : RedisChangePublisher.toStream(connection, stream, maxLength);
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            long lastReport = System.nanoTime();
            for (long issued = 0;
                    issued < changes && System.nanoTime() - deadline < 0 && !stopped;
                    issued++) {
                inFlight.acquire();
                CompletionStage<?> write;
                try {
                    write =
                            publisher == null
                                    ? change(redis, data, random)
                                    : publish(publisher, data, random);
                } catch (RedisException e) {
                    write = CompletableFuture.failedFuture(e);
                }
                write.whenComplete(
                        (ok, error) -> {
                            (error == null ? done : failed).incrementAndGet();
                            inFlight.release();
                        });
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(1)) {
                    System.out.println("progress " + done.get());
                    lastReport = System.nanoTime();
                }
                // Pacing, not waiting for a condition: a fixed rate. A late wake-up is made up
                // for, but a longer stall (Redis down) only by 100 ms worth, not in one burst.
                next = Math.max(next + interval, System.nanoTime() - CATCH_UP);
                LockSupport.parkNanos(next - System.nanoTime());
            }
            if (!inFlight.tryAcquire(256, 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Writes still unanswered after 30 s.");
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        System.out.println("done changes=" + done.get() + " failed=" + failed.get());
        System.out.flush();
        System.exit(0);
    }

    /** One change: 55 in 100 to users, the rest to orders; creates may add new ids. */
    private static CompletionStage<?> change(
            RedisAsyncCommands<String, String> redis, FaultData data, SplittableRandom random) {
        int dice = random.nextInt(100);
        // Ids up to 10% past the loaded ones, so that creates add keys the snapshot never saw.
        String user = data.userKey(1 + random.nextInt(data.users() + data.users() / 10));
        String order = data.orderKey(1 + random.nextInt(data.orders() + data.orders() / 10));
        if (dice < 30) {
            return redis.hset(
                    user,
                    Map.of(
                            "city", FaultData.city(random),
                            "age", String.valueOf(18 + random.nextInt(70))));
        } else if (dice < 35) {
            return redis.hdel(user, "email"); // a field gone must be gone from the document too
        } else if (dice < 45) {
            return redis.del(user);
        } else if (dice < 55) {
            return redis.hset(user, FaultData.user(random));
        } else if (dice < 80) {
            return redis.hset(
                    order,
                    Map.of(
                            "status", FaultData.status(random),
                            "amount", FaultData.amount(random),
                            "created_at", FaultData.createdAt(random)));
        } else if (dice < 90) {
            return redis.del(order);
        } else {
            return redis.hset(order, FaultData.order(random, data.users()));
        }
    }

    /** The same change as {@link #change}, written and appended to the stream by the publisher. */
    private static CompletionStage<?> publish(
            RedisChangePublisher publisher, FaultData data, SplittableRandom random) {
        int dice = random.nextInt(100);
        String user = data.userKey(1 + random.nextInt(data.users() + data.users() / 10));
        String order = data.orderKey(1 + random.nextInt(data.orders() + data.orders() / 10));
        if (dice < 30) {
            publisher.hset(
                    user,
                    Map.of(
                            "city", FaultData.city(random),
                            "age", String.valueOf(18 + random.nextInt(70))));
        } else if (dice < 35) {
            publisher.hdel(user, "email");
        } else if (dice < 45) {
            publisher.del(user);
        } else if (dice < 55) {
            publisher.hset(user, FaultData.user(random));
        } else if (dice < 80) {
            publisher.hset(
                    order,
                    Map.of(
                            "status", FaultData.status(random),
                            "amount", FaultData.amount(random),
                            "created_at", FaultData.createdAt(random)));
        } else if (dice < 90) {
            publisher.del(order);
        } else {
            publisher.hset(order, FaultData.order(random, data.users()));
        }
        return CompletableFuture.completedFuture(null);
    }

    private static void watchStandardInput() {
        Thread watcher =
                new Thread(
                        () -> {
                            try (InputStream in = System.in) {
                                int read;
                                while ((read = in.read()) >= 0) {
                                    if (read == '\n') {
                                        stopped = true; // the parent asks for an early end
                                    }
                                }
                            } catch (IOException e) {
                                // closed: the same as EOF
                            }
                            System.exit(3);
                        },
                        "stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
