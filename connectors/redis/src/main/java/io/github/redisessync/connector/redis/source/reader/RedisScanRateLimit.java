package io.github.redisessync.connector.redis.source.reader;

import java.util.concurrent.locks.LockSupport;

/**
 * {@code scan.max-keys-per-second}: one budget for every SCAN of a split reader, the snapshot's and
 * the catch-up rescan's alike, since both load the same server. Used by the fetcher thread only.
 */
final class RedisScanRateLimit {

    private final long nanosPerKey;
    // The earliest time the next scan batch may be read.
    private long nextScanNanos = System.nanoTime();

    /** {@code keysPerSecond}: 0 or less for no limit. */
    RedisScanRateLimit(int keysPerSecond) {
        this.nanosPerKey = keysPerSecond > 0 ? 1_000_000_000L / keysPerSecond : 0;
    }

    /**
     * Whether the scan rate allows the next scan batch now; if not, waits up to 50 ms (on the
     * fetcher thread, not Flink's mailbox) so that an idle fetch loop does not spin.
     */
    boolean allowsNextBatch() {
        long wait = nextScanNanos - System.nanoTime();
        if (wait <= 0) {
            return true;
        }
        LockSupport.parkNanos(Math.min(wait, 50_000_000L));
        return nextScanNanos - System.nanoTime() <= 0;
    }

    /** Charges {@code keys} just returned by SCAN to the budget. */
    void scanned(int keys) {
        if (nanosPerKey > 0) {
            nextScanNanos = Math.max(nextScanNanos, System.nanoTime()) + keys * nanosPerKey;
        }
    }
}
