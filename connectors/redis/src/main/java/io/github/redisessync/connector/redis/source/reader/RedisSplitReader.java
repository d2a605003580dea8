package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSplitKind;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the splits of one node and database on the fetcher thread: the scan split (a SCAN pass read
 * in pipelined batches, each ending with its position) and the tail split (keys marked dirty by
 * pub/sub, re-read in pipelined batches).
 *
 * <p>Order of work: the tail subscribes before the first SCAN. Then each fetch does one unit, a
 * batch of dirty keys or a batch of the scan, alternating, so changes never wait for the scan to
 * end. One fetch holds the records of one split only, so records leave in the order they were read,
 * and the versions of one key only grow. A gap (lost connection, full buffer, restored split) is
 * counted, logged and healed: a new subscription first, then a rescan pass from cursor 0 under the
 * tail split. Keys deleted during a gap are not found by a rescan, so a finished rescan emits a
 * {@link RedisRecord#catchUpFinished catch-up marker} after its last record: the consumer sweeps
 * the copies of these patterns whose keys are gone (the job does it in its {@code CatchUpSweep}).
 * The source does not sweep itself: it knows Redis, not where or how the copies are kept.
 *
 * <p>A fresh start needs the same sweep: copies kept by an earlier run (a job started without a
 * checkpoint against indexes that hold documents) may belong to keys deleted while no job ran, and
 * a snapshot only reads what exists. So the scan split of an unbounded tailing reader that starts
 * at its very beginning, under a tail that was not restored (see {@link #sweepsAfterScan}), ends
 * with a catch-up marker too, versioned with the server time taken after the subscription opened
 * and before the first SCAN. A scan restored mid-way emits none: its restored tail is a gap, whose
 * rescan ends with a marker of its own. A bounded run ({@code tail.stop-when-idle}, or no tail)
 * emits none either: a sweep waits for a checkpoint after its marker, and a bounded job finishes
 * without one.
 */
public class RedisSplitReader implements SplitReader<RedisSplitElement, RedisSourceSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSplitReader.class);

    /** The longest a fetch waits for a change when there is nothing else to do. */
    private static final long IDLE_WAIT_MILLIS = 100;

    private final ReadableConfig config;
    private final RedisSourceMetrics metrics;
    private final RedisReaderConnection connection;
    private final RedisScanRateLimit rateLimit;
    private final String tailClientName;
    private final int scanCount;
    private final int batchSize;
    private final boolean stopWhenIdle;
    private final boolean tailed;
    private final Deque<RedisScanSplit> pendingScans = new ArrayDeque<>();
    private final RedisScanSplitReader scanReader;
    private final RedisChangeBuffer changes;
    private final RedisExpiryChecks expiryChecks;

    private volatile boolean wakeUp;

    // The tail split, its subscription, and a catch-up pass in progress.
    private RedisTailSplit tail;
    // Volatile: the tailSubscribed gauge reads it from the metrics reporter's thread.
    private volatile RedisTailSubscription subscription;
    // Instead of the subscription for a stream tail; volatile for the same gauge.
    private volatile RedisStreamTail streamTail;
    private RedisKeyScan rescan;
    private long rescanKeys;
    private long rescanStartVersion;
    private boolean changesTurn;
    private boolean idleOnce;
    private boolean tailFinished;

    public RedisSplitReader(ReadableConfig config) {
        this(config, new RedisSourceMetrics(new UnregisteredMetricsGroup()));
    }

    public RedisSplitReader(ReadableConfig config, RedisSourceMetrics metrics) {
        this(config, metrics, RedisSource.tailClientName(null));
    }

    /** {@code tailClientName}: the client name of the tail's pub/sub connections. */
    public RedisSplitReader(
            ReadableConfig config, RedisSourceMetrics metrics, String tailClientName) {
        this.config = config;
        this.metrics = metrics;
        this.tailClientName = tailClientName;
        this.scanCount = config.get(RedisSourceOptions.SCAN_COUNT);
        this.batchSize = config.get(RedisSourceOptions.READ_BATCH_SIZE);
        this.connection = new RedisReaderConnection(config);
        this.rateLimit =
                new RedisScanRateLimit(config.get(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND));
        this.stopWhenIdle = config.get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE);
        this.tailed = config.get(RedisSourceOptions.TAIL_MODE) != RedisTailMode.NONE;
        int bufferSize = config.get(RedisSourceOptions.TAIL_BUFFER_SIZE);
        this.changes = new RedisChangeBuffer(bufferSize);
        this.expiryChecks = new RedisExpiryChecks(bufferSize);
        metrics.pendingChanges(changes);
        this.scanReader =
                new RedisScanSplitReader(
                        connection,
                        metrics,
                        rateLimit,
                        scanCount,
                        batchSize,
                        this::takeWakeUp,
                        this::watchExpiries);
    }

    @Override
    public RecordsWithSplitIds<RedisSplitElement> fetch() throws IOException {
        RecordsBySplits.Builder<RedisSplitElement> out = new RecordsBySplits.Builder<>();
        if (tail != null) {
            if (tail.mode() == RedisTailMode.STREAM) {
                openStream(out);
            } else {
                healGaps();
            }
            if (changesTurn
                    || (!scanReader.isReading() && pendingScans.isEmpty() && rescan == null)) {
                changesTurn = false;
                if (readChanges(out, 0)) {
                    return out.build();
                }
            }
            changesTurn = true;
        } else if (tailed && !tailFinished) {
            // The tail split of this node comes with the scan split; never scan unsubscribed.
            return out.build();
        }
        boolean scanning = scanReader.isReading() || startNextScan();
        if ((scanning || rescan != null) && !rateLimit.allowsNextBatch()) {
            return out.build(); // paced: the fetcher calls again, and changes keep their turn
        }
        if (scanning) {
            scanReader.readBatch(out);
        } else if (rescan != null) {
            readRescanBatch(out);
        } else if (tail != null) {
            waitForChanges(out);
        }
        return out.build();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RedisSourceSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Redis splits are never removed, got " + splitsChange);
        }
        for (RedisSourceSplit split : splitsChange.splits()) {
            if (split.kind() == RedisSplitKind.TAIL) {
                if (tail != null) {
                    throw new IllegalStateException(
                            "A reader follows one tail, got "
                                    + split.splitId()
                                    + " while following "
                                    + tail.splitId());
                }
                tail = split.asTailSplit();
                metrics.tail(tail.splitId(), this::tailSubscribed);
            } else {
                pendingScans.add(split.asScanSplit());
            }
        }
    }

    /** Whether the tail's subscription is open (false without a tail, or after it ended). */
    boolean tailSubscribed() {
        RedisTailSubscription current = subscription;
        return streamTail != null || (current != null && !current.isLost());
    }

    /** The Redis client id of the tail's pub/sub connection, or -1 without one (or refused). */
    long tailClientId() {
        RedisTailSubscription current = subscription;
        return current == null ? -1 : current.clientId();
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
        changes.signal();
    }

    @Override
    public void close() {
        closeSubscription();
        connection.close();
    }

    /** Opens the subscription first; reopens it and rescans after a gap. */
    private void healGaps() throws IOException {
        String gap = null;
        if (subscription == null) {
            if (tail.isResumed()) {
                gap =
                        "the tail was restored from a checkpoint (notifications sent while the job"
                                + " was down are lost)";
            }
        } else if (subscription.isLost()) {
            gap = "the pub/sub connection was lost (killed, output buffer limit or network)";
        } else if (changes.takeOverflow()) {
            gap = "the change buffer was full (" + RedisSourceOptions.TAIL_BUFFER_SIZE.key() + ")";
        }
        if (gap != null) {
            metrics.gaps.inc();
            LOG.warn(
                    "Gap in the tail {}: {}. Resubscribing, then rescanning {} from cursor 0.",
                    tail.splitId(),
                    gap,
                    tail.keyPatterns());
        }
        if (subscription == null || gap != null) {
            closeSubscription();
            connection.ensure(tail.database());
            subscription =
                    RedisTailSubscription.open(
                            config, tail, changes, metrics.changesReceived, tailClientName);
            LOG.info(
                    "Subscribed {} to {} on {} (client id {})",
                    tail.splitId(),
                    RedisTailSubscription.describe(tail),
                    connection.connection().description(),
                    subscription.clientId());
        }
        if (gap != null) {
            metrics.catchUps.inc();
            rescan = RedisKeyScan.fromStart(tail.keyPatterns());
            rescanKeys = 0;
            // After the subscription: a key that exists now is either read by the rescan (with a
            // later version) or changed later, which the new subscription reports.
            rescanStartVersion = connection.serverTimeMicros();
        }
    }

    /**
     * Opens a stream tail once: reads on from the checkpointed position, or, the first time, from
     * the stream's last entry, taken before the first SCAN so that a write after it is in the
     * stream and one before it is found by the scan. Entries removed after the position before they
     * were read are a gap, healed by a rescan as for pub/sub. The position is handed to the split's
     * state at once, so a checkpoint before the first entry records it.
     */
    private void openStream(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        if (streamTail != null) {
            return;
        }
        connection.ensure(tail.database());
        RedisStreamTail opened = RedisStreamTail.open(connection.connection(), tail);
        if (opened.gap() != null) {
            metrics.gaps.inc();
            metrics.catchUps.inc();
            LOG.warn(
                    "Gap in the tail {}: {}. Reading on from {}, then rescanning {} from cursor 0.",
                    tail.splitId(),
                    opened.gap(),
                    opened.position(),
                    tail.keyPatterns());
            rescan = RedisKeyScan.fromStart(tail.keyPatterns());
            rescanKeys = 0;
            rescanStartVersion = connection.serverTimeMicros();
        }
        streamTail = opened;
        out.add(tail.splitId(), RedisSplitElement.streamPosition(opened.position()));
        LOG.info(
                "Reading {} from stream {} after entry {}{} on {}",
                tail.splitId(),
                tail.channel(),
                opened.position(),
                tail.streamPosition().isEmpty()
                        ? ""
                        : " (restored position " + tail.streamPosition() + ")",
                connection.connection().description());
    }

    /**
     * Re-reads a batch of dirty keys (or of the keys of the next stream entries, waiting up to
     * {@code blockMillis} for one) and of keys whose TTL ran out; false when there were none.
     */
    private boolean readChanges(RecordsBySplits.Builder<RedisSplitElement> out, long blockMillis)
            throws IOException {
        List<byte[]> keys;
        String streamId = null;
        if (streamTail != null) {
            RedisStreamTail.Batch batch =
                    streamTail.read(connection.connection(), batchSize, blockMillis);
            metrics.changesReceived.inc(batch.entries);
            keys = new ArrayList<>(batch.keys);
            streamId = batch.lastId;
        } else {
            keys = changes.drain(batchSize);
        }
        if (keys.size() < batchSize) {
            keys.addAll(expiryChecks.due(System.nanoTime(), batchSize - keys.size()));
        }
        if (keys.isEmpty() && streamId == null) {
            return false;
        }
        if (!keys.isEmpty()) {
            emitRecords(tail.splitId(), connection.keyReader().read(keys), out);
        }
        if (streamId != null) {
            // After the records of its entries: a checkpoint before it reads them again.
            out.add(tail.splitId(), RedisSplitElement.streamPosition(streamId));
        }
        idleOnce = false;
        return true;
    }

    private void readRescanBatch(RecordsBySplits.Builder<RedisSplitElement> out)
            throws IOException {
        List<byte[]> keys =
                rescan.next(connection.connection(), batchSize, scanCount, this::takeWakeUp);
        rateLimit.scanned(keys.size());
        List<RedisRecord> records = connection.keyReader().read(keys);
        emitRecords(tail.splitId(), records, out);
        rescanKeys += keys.size();
        metrics.keysScanned.inc(keys.size());
        if (rescan.isFinished()) {
            LOG.info(
                    "Catch-up rescan of {} finished: {} keys re-read since server time {}; emitting"
                            + " the marker that asks for a sweep of {}.",
                    tail.splitId(),
                    rescanKeys,
                    rescanStartVersion,
                    tail.keyPatterns());
            out.add(
                    tail.splitId(),
                    RedisSplitElement.record(
                            RedisRecord.catchUpFinished(
                                    tail.keyPatterns(), rescanStartVersion, tail.database())));
            rescan = null;
        }
    }

    private void waitForChanges(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        long waitMillis =
                Math.min(
                        IDLE_WAIT_MILLIS,
                        expiryChecks.nanosUntilNext(System.nanoTime()) / 1_000_000);
        if (streamTail != null) {
            // XREAD waits on the server (BLOCK 0 would wait forever, hence at least 1 ms).
            if (!readChanges(out, stopWhenIdle ? 0 : Math.max(1, waitMillis)) && stopWhenIdle) {
                if (idleOnce) {
                    finishTail(out);
                    return;
                }
                idleOnce = true;
            }
            return;
        }
        if (stopWhenIdle && changes.isEmpty() && !changes.takeOverflow()) {
            if (idleOnce) {
                finishTail(out);
                return;
            }
            idleOnce = true;
        } else {
            idleOnce = false;
        }
        try {
            changes.await(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for changes on " + tail.splitId(), e);
        }
    }

    /** A second quiet look: the scan is done and nothing is pending. */
    private void finishTail(RecordsBySplits.Builder<RedisSplitElement> out) {
        LOG.info("Tail {} is idle and the scan is done; finishing it.", tail.splitId());
        out.addFinishedSplit(tail.splitId());
        closeSubscription();
        streamTail = null;
        tail = null;
        tailFinished = true;
    }

    private void emitRecords(
            String splitId,
            List<RedisRecord> records,
            RecordsBySplits.Builder<RedisSplitElement> out) {
        for (RedisRecord record : records) {
            out.add(splitId, RedisSplitElement.record(record));
        }
        watchExpiries(records);
    }

    /**
     * Schedules a re-read of each of {@code records} (of the tail or of a scan) that has a TTL, for
     * when it runs out: no writer publishes an expiry. Keyspace notifications report expiries
     * themselves.
     */
    private void watchExpiries(List<RedisRecord> records) {
        if (tail == null || tail.mode() == RedisTailMode.KEYSPACE) {
            return;
        }
        long now = System.nanoTime();
        for (RedisRecord record : records) {
            if (record.getTtlMillis() >= 0) {
                expiryChecks.schedule(record.getKey(), record.getTtlMillis(), now);
            }
        }
    }

    private boolean takeWakeUp() {
        boolean was = wakeUp;
        wakeUp = false;
        return was;
    }

    private boolean startNextScan() throws IOException {
        RedisScanSplit next = pendingScans.poll();
        if (next == null) {
            return false;
        }
        // The subscription is open here: fetch() never scans without the tail split of its node
        // when tailed, and healGaps(), earlier in this fetch, returned only once the server
        // confirmed the subscription. A key that exists at this time is thus read by the scan or
        // changes later, which the tail reports; the time is read before the first SCAN.
        boolean tailOpen = subscription != null || streamTail != null;
        scanReader.start(next, sweepsAfterScan(next, tail, stopWhenIdle) && tailOpen, tailOpen);
        return true;
    }

    /**
     * Whether the end of {@code scan} asks for a sweep: the scan starts at its very beginning (not
     * restored mid-way), the reader follows {@code tail} without end (not {@code stopWhenIdle}),
     * the tail was not restored (a restored tail is a gap, and its own rescan ends with a marker)
     * and it covers the scan's database and patterns.
     */
    static boolean sweepsAfterScan(
            RedisScanSplit scan, @Nullable RedisTailSplit tail, boolean stopWhenIdle) {
        return tail != null
                && !stopWhenIdle
                && !tail.isResumed()
                && scan.isAtStart()
                && tail.database() == scan.database()
                && tail.keyPatterns().containsAll(scan.keyPatterns());
    }

    private void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
