package io.github.redisessync.job.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds; fails naming what it waited for once the timeout is over. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {}

    /** Polls {@code condition} every 50 ms. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, POLL, condition);
    }

    /** Polls {@code condition} every {@code poll}, for conditions too costly to ask more often. */
    public static void until(
            String what, Duration timeout, Duration poll, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }
}
