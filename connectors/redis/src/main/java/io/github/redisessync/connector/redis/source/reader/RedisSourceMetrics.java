package io.github.redisessync.connector.redis.source.reader;

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
 */
public final class RedisSourceMetrics {

    final Counter keysScanned;
    final Counter recordsEmitted;
    final Counter changesReceived;
    final Counter gaps;
    final Counter catchUps;
    private volatile double scanProgress;
    private volatile LongSupplier pendingChanges = () -> 0L;

    public RedisSourceMetrics(MetricGroup group) {
        // Counted from the fetcher, emitter and pub/sub threads.
        keysScanned = group.counter("redisKeysScanned", new ThreadSafeSimpleCounter());
        recordsEmitted = group.counter("redisRecordsEmitted", new ThreadSafeSimpleCounter());
        changesReceived = group.counter("redisChangesReceived", new ThreadSafeSimpleCounter());
        gaps = group.counter("redisGaps", new ThreadSafeSimpleCounter());
        catchUps = group.counter("redisCatchUps", new ThreadSafeSimpleCounter());
        group.meter("redisRecordsPerSecond", new MeterView(recordsEmitted));
        group.gauge("redisScanProgress", (Gauge<Double>) () -> scanProgress);
        group.gauge("redisPendingChanges", (Gauge<Long>) () -> pendingChanges.getAsLong());
    }

    void scanProgress(long scannedInPass, long databaseSize) {
        scanProgress =
                databaseSize <= 0 ? 1.0 : Math.min(1.0, scannedInPass / (double) databaseSize);
    }

    void pendingChanges(LongSupplier supplier) {
        pendingChanges = supplier;
    }

    public Counter keysScanned() {
        return keysScanned;
    }

    public Counter recordsEmitted() {
        return recordsEmitted;
    }

    public Counter gaps() {
        return gaps;
    }
}
