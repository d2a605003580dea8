package io.github.redisessync.connector.redis.source.metrics;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * The reader's metrics: {@code redisKeysScanned}, {@code redisScanProgress} (keys scanned in the
 * current pass over the database's size when the pass started, 0..1), {@code redisRecordsEmitted}
 * and {@code redisRecordsPerSecond}, {@code redisChangesReceived}, {@code redisGaps}, {@code
 * redisCatchUps} and the gauge {@code redisPendingChanges}.
 *
 * <p>Liveness gauges, readable while the reader's task is stuck (they read a clock and volatile
 * state, never the task): {@link #SECONDS_SINCE_CHECKPOINT} (since the last checkpoint this reader
 * was told completed, or since the reader started), {@link #OLDEST_PENDING_CHANGE_AGE} (the oldest
 * dirty key of the tail's buffer not re-read yet; 0 when none waits) and, in the group {@code
 * tail=<split id>} of each tail this reader follows, {@link #TAIL_SUBSCRIBED} (1 while its pub/sub
 * subscription is open, 0 while it is lost, not opened yet, or after a bounded tail ended).
 */
public final class RedisSourceMetrics {

    public static final String SECONDS_SINCE_CHECKPOINT = "secondsSinceLastCompletedCheckpoint";
    public static final String TAIL_SUBSCRIBED = "tailSubscribed";
    public static final String OLDEST_PENDING_CHANGE_AGE = "oldestPendingChangeAgeSeconds";

    /** The group of a tail's metrics is {@code <TAIL_GROUP>=<split id>}. */
    public static final String TAIL_GROUP = "tail";

    private final Counter keysScanned;
    private final Counter recordsEmitted;
    private final Counter changesReceived;
    private final Counter gaps;
    private final Counter catchUps;
    private final MetricGroup group;
    private final LongSupplier nanoClock;
    private volatile double scanProgress;
    // The tail's buffer of dirty keys (replaced after a gap); null before there is one.
    private volatile PendingChanges changes;
    private volatile long lastCheckpointNanos;

    public RedisSourceMetrics(MetricGroup group) {
        this(group, System::nanoTime);
    }

    /** {@code nanoClock}: the monotonic clock of the liveness gauges (tests pass their own). */
    public RedisSourceMetrics(MetricGroup group, LongSupplier nanoClock) {
        this.group = group;
        this.nanoClock = nanoClock;
        // Before the first checkpoint completes, the time since the reader started is what tells.
        this.lastCheckpointNanos = nanoClock.getAsLong();
        // Counted from the fetcher, emitter and pub/sub threads.
        keysScanned = group.counter("redisKeysScanned", new ThreadSafeSimpleCounter());
        recordsEmitted = group.counter("redisRecordsEmitted", new ThreadSafeSimpleCounter());
        changesReceived = group.counter("redisChangesReceived", new ThreadSafeSimpleCounter());
        gaps = group.counter("redisGaps", new ThreadSafeSimpleCounter());
        catchUps = group.counter("redisCatchUps", new ThreadSafeSimpleCounter());
        group.meter("redisRecordsPerSecond", new MeterView(recordsEmitted));
        group.gauge("redisScanProgress", (Gauge<Double>) () -> scanProgress);
        group.gauge(
                "redisPendingChanges",
                (Gauge<Long>)
                        () -> {
                            PendingChanges buffer = changes;
                            return buffer == null ? 0L : buffer.size();
                        });
        group.gauge(
                OLDEST_PENDING_CHANGE_AGE,
                (Gauge<Double>)
                        () -> {
                            PendingChanges buffer = changes;
                            return buffer == null ? 0.0 : seconds(buffer.oldestAgeNanos());
                        });
        group.gauge(
                SECONDS_SINCE_CHECKPOINT,
                (Gauge<Double>) () -> seconds(nanoClock.getAsLong() - lastCheckpointNanos));
    }

    public void scanProgress(long scannedInPass, long databaseSize) {
        scanProgress =
                databaseSize <= 0 ? 1.0 : Math.min(1.0, scannedInPass / (double) databaseSize);
    }

    /** The buffer of dirty keys whose size and oldest age the gauges show. */
    public void pendingChanges(PendingChanges buffer) {
        changes = buffer;
    }

    /** A checkpoint completed (the reader was notified): the liveness clock starts again. */
    public void checkpointCompleted() {
        lastCheckpointNanos = nanoClock.getAsLong();
    }

    /** Registers {@link #TAIL_SUBSCRIBED} of the tail {@code splitId}, read from {@code open}. */
    public void tail(String splitId, BooleanSupplier open) {
        group.addGroup(TAIL_GROUP, splitId)
                .gauge(TAIL_SUBSCRIBED, (Gauge<Integer>) () -> open.getAsBoolean() ? 1 : 0);
    }

    public Counter keysScanned() {
        return keysScanned;
    }

    public Counter recordsEmitted() {
        return recordsEmitted;
    }

    public Counter changesReceived() {
        return changesReceived;
    }

    public Counter gaps() {
        return gaps;
    }

    public Counter catchUps() {
        return catchUps;
    }

    /** What the pending-change gauges read: the tail's buffer of keys not re-read yet. */
    public interface PendingChanges {
        /** Keys waiting. */
        long size();

        /** How long the oldest waiting key has waited, 0 when none waits. */
        long oldestAgeNanos();
    }

    private static double seconds(long nanos) {
        // Milliseconds are enough, and a short number reads better in a metrics UI.
        return Math.max(0, nanos / 1_000_000) / 1000.0;
    }
}
