package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one scan split at a time for {@link RedisSplitReader}: a SCAN pass from the split's
 * position, its keys read in pipelined batches, each fetch ending with the position it reached, and
 * the pass's progress logged and shown in the {@code scanProgress} gauge. Used by the fetcher
 * thread only.
 */
final class RedisScanSplitReader {

    private static final Logger LOG = LoggerFactory.getLogger(RedisScanSplitReader.class);

    private final RedisReaderConnection connection;
    private final RedisSourceMetrics metrics;
    private final RedisScanRateLimit rateLimit;
    private final int scanCount;
    private final int batchSize;
    private final BooleanSupplier wokenUp;
    private final Consumer<List<RedisRecord>> recordsRead;

    // The scan split being read and its position; the emitter keeps the checkpointed copy.
    private RedisScanSplit current;
    private RedisKeyScan scan;
    private long keysScanned;
    private long keysAtStart;
    private long databaseSize;
    private long startNanos;
    // The server time (µs) when the scan began if its end asks for a sweep (a fresh start), or -1.
    private long sweepVersion = -1;

    /**
     * {@code wokenUp}: whether the fetch should return early (read and cleared by each SCAN call).
     * {@code recordsRead}: told of the records each batch emits, after them (the tail re-reads a
     * key the scan saw with a TTL when it expires, as no writer publishes an expiry).
     */
    RedisScanSplitReader(
            RedisReaderConnection connection,
            RedisSourceMetrics metrics,
            RedisScanRateLimit rateLimit,
            int scanCount,
            int batchSize,
            BooleanSupplier wokenUp,
            Consumer<List<RedisRecord>> recordsRead) {
        this.connection = connection;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.scanCount = scanCount;
        this.batchSize = batchSize;
        this.wokenUp = wokenUp;
        this.recordsRead = recordsRead;
    }

    /** The id of the scan split being read, or null. */
    String splitId() {
        return current == null ? null : current.splitId();
    }

    /** The {@code host:port/database} of the scan split being read, or null. */
    String nodeId() {
        return current == null ? null : current.nodeId();
    }

    /** Whether a scan split is being read. */
    boolean isReading() {
        return current != null;
    }

    /**
     * Starts reading {@code split}: opens the connection on its database and takes the database
     * size for the progress. {@code sweeps}: whether the scan's end asks for a sweep; if so, the
     * server time is read now, before the first SCAN, as the version of the marker. {@code
     * tailSubscribed}: only for the log.
     */
    void start(RedisScanSplit split, boolean sweeps, boolean tailSubscribed) throws IOException {
        current = split;
        connection.ensure(split.node(), split.database());
        scan = new RedisKeyScan(split.keyPatterns(), split.patternIndex(), split.cursor());
        keysScanned = split.keysScanned();
        keysAtStart = keysScanned;
        startNanos = System.nanoTime();
        RedisConnection redis = connection.connection();
        databaseSize = redis.call(redis.async().dbsize(), "DBSIZE");
        sweepVersion = sweeps ? connection.serverTimeMicros() : -1;
        LOG.info(
                "Starting {} on {}: patterns {} from pattern {} cursor {}, {} keys scanned"
                        + " before; the database holds {} keys{}",
                split.splitId(),
                redis.description(),
                split.keyPatterns(),
                scan.patternIndex(),
                scan.cursor(),
                keysScanned,
                databaseSize,
                tailSubscribed ? "; the tail is subscribed" : "");
    }

    /**
     * Reads the next batch of the scan: its records, then its position; at the end of the pass the
     * sweep's marker if one is due, and the split finishes.
     */
    void readBatch(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        String splitId = current.splitId();
        List<byte[]> keys = scan.next(connection.connection(), batchSize, scanCount, wokenUp);
        rateLimit.scanned(keys.size());
        for (int from = 0; from < keys.size(); from += batchSize) {
            List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + batchSize));
            List<RedisRecord> records = connection.read(batch);
            for (RedisRecord record : records) {
                out.add(splitId, RedisSplitElement.record(record));
            }
            recordsRead.accept(records);
        }
        keysScanned += keys.size();
        metrics.scanProgress(keysScanned - keysAtStart, databaseSize);
        out.add(
                splitId,
                RedisSplitElement.position(
                        scan.patternIndex(), scan.cursor(), keysScanned, keys.size()));
        if (scan.isFinished()) {
            if (sweepVersion >= 0) {
                // After the scan's last records and its final position, before the split ends.
                LOG.info(
                        "{} was the first scan of a fresh start: emitting the marker that asks for"
                                + " a sweep of {} (keys deleted while no job ran), read since"
                                + " server time {}.",
                        splitId,
                        current.keyPatterns(),
                        sweepVersion);
                out.add(
                        splitId,
                        RedisSplitElement.record(
                                RedisRecord.catchUpFinished(
                                        current.keyPatterns(), sweepVersion, current.database())));
            }
            finish();
            out.addFinishedSplit(splitId);
        }
    }

    /**
     * Starts the pass of the split being read over from cursor 0, on the node its connection reads
     * now: after a failover (the cursor belongs to the old primary) or a failed read (the keys of
     * the batch that failed were not emitted). Its records may come again; a later read of a key
     * only has a later version.
     */
    void restart(String why) throws IOException {
        if (current == null) {
            return;
        }
        connection.ensure(current.node(), current.database());
        scan = RedisKeyScan.fromStart(current.keyPatterns());
        LOG.info(
                "Restarting {} from cursor 0 on {}: {}",
                current.splitId(),
                connection.connection().description(),
                why);
    }

    private void finish() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long scanned = keysScanned - keysAtStart;
        LOG.info(
                "Finished {}: {} keys scanned in {} s ({} keys/s); {} keys scanned in total",
                current.splitId(),
                scanned,
                String.format("%.1f", seconds),
                Math.round(scanned / seconds),
                keysScanned);
        metrics.scanProgress(1, 1);
        current = null;
        scan = null;
        sweepVersion = -1;
    }
}
