package io.github.redisessync.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for a condition, with a deadline, instead of sleeping for a guessed time. */
public final class Conditions {

    private static final long POLL_MILLIS = 100;

    private Conditions() {}

    /**
     * Returns once {@code condition} holds, asking every 100 ms; fails with an {@link
     * AssertionError} naming {@code what} when {@code within} has passed first.
     */
    public static void await(String what, Duration within, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not within " + within.toSeconds() + " s: " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
