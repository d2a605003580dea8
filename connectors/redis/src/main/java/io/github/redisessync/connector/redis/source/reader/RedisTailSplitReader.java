package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisChangeFeed;
import io.github.redisessync.connector.redis.client.RedisChangeStream;
import io.github.redisessync.connector.redis.client.RedisKeyspaceNotifications;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tail split for {@link RedisSplitReader}: keys marked dirty by pub/sub ({@link
 * RedisChangeFeed}) or named by the entries of a stream ({@link RedisChangeStream}), re-read in
 * pipelined batches, and keys re-read when their TTL runs out.
 *
 * <p>A gap (lost connection, full buffer, restored split, stream entries trimmed before they were
 * read) is counted, logged and healed: a new subscription (or the stream read on) first, then a
 * rescan from cursor 0. Keys deleted during a gap are not found by a rescan, so a finished rescan
 * emits a {@link RedisRecord#catchUpFinished catch-up marker}: the consumer sweeps the copies whose
 * keys are gone (the source knows Redis, not where the copies are). Fetcher thread only, except for
 * the gauges.
 */
final class RedisTailSplitReader {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTailSplitReader.class);

    /** The longest a fetch waits for a change when there is nothing else to do. */
    private static final long IDLE_WAIT_MILLIS = 100;

    private final ReadableConfig config;
    private final RedisReaderConnection connection;
    private final RedisSourceMetrics metrics;
    private final RedisScanRateLimit rateLimit;
    private final String clientName;
    private final int scanCount;
    private final int batchSize;
    private final boolean stopWhenIdle;
    private final BooleanSupplier wokenUp;
    private final RedisChangeBuffer changes;
    private final RedisExpiryChecks expiryChecks;

    private RedisTailSplit tail;
    // Volatile: the tailSubscribed gauge reads it from the metrics reporter's thread.
    private volatile RedisChangeFeed subscription;
    // Instead of the subscription for a stream tail; volatile for the same gauge.
    private volatile RedisChangeStream streamTail;
    // Where a stream tail reads its stream (on a cluster, maybe another node); with streamTail.
    private RedisStreamNode streamNode;
    @Nullable private RedisTailRescan rescan;
    private boolean idleOnce;
    // Whether a subscription was opened: a resumed split is a gap only before the first.
    private boolean subscribedBefore;
    private boolean finished;

    /** {@code wokenUp}: whether the fetch should return early (read by each SCAN of a rescan). */
    RedisTailSplitReader(
            ReadableConfig config,
            RedisReaderConnection connection,
            RedisSourceMetrics metrics,
            RedisScanRateLimit rateLimit,
            String clientName,
            BooleanSupplier wokenUp) {
        this.config = config;
        this.connection = connection;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.clientName = clientName;
        this.scanCount = config.get(RedisSourceOptions.SCAN_COUNT);
        this.batchSize = config.get(RedisSourceOptions.READ_BATCH_SIZE);
        this.stopWhenIdle = config.get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE);
        this.wokenUp = wokenUp;
        int bufferSize = config.get(RedisSourceOptions.TAIL_BUFFER_SIZE);
        this.changes = new RedisChangeBuffer(bufferSize);
        this.expiryChecks = new RedisExpiryChecks(bufferSize);
        metrics.pendingChanges(changes);
    }

    /** Follows {@code split}; a reader follows one tail. */
    void add(RedisTailSplit split) {
        if (tail != null) {
            throw new IllegalStateException(
                    "A reader follows one tail, got "
                            + split.splitId()
                            + " while following "
                            + tail.splitId());
        }
        tail = split;
        metrics.tail(tail.splitId(), this::isSubscribed);
    }

    /** The tail split followed, or null before it came or after it finished. */
    @Nullable
    RedisTailSplit split() {
        return tail;
    }

    /** Whether the tail split came and finished (a bounded tail that went idle). */
    boolean isFinished() {
        return finished;
    }

    /** Whether the subscription or stream was opened, lost or not, and not closed since. */
    boolean isOpen() {
        return subscription != null || streamTail != null;
    }

    /** Whether the tail's subscription is open (false without a tail, or after it ended). */
    boolean isSubscribed() {
        RedisChangeFeed current = subscription;
        return streamTail != null || (current != null && !current.isLost());
    }

    /** The Redis client id of the tail's pub/sub connection, or -1 without one (or refused). */
    long clientId() {
        RedisChangeFeed current = subscription;
        return current == null ? -1 : current.clientId();
    }

    boolean isRescanning() {
        return rescan != null;
    }

    /** Marks {@code keys} dirty again (their reads waited for a topology refresh). */
    void retry(List<byte[]> keys) {
        for (byte[] key : keys) {
            changes.offer(key);
        }
    }

    /** Ends a wait for changes early. */
    void wakeUp() {
        changes.signal();
    }

    /**
     * Opens the tail if it is not open and heals a gap found since the last fetch; on return the
     * server has confirmed the subscription, or the stream's position is known.
     */
    void open(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        if (tail.mode() == RedisTailMode.STREAM) {
            openStream(out);
        } else {
            healGaps();
        }
    }

    /** Opens the subscription first; reopens it and rescans after a gap. */
    private void healGaps() throws IOException {
        String gap = null;
        if (subscription == null) {
            if (tail.isResumed() && !subscribedBefore) {
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
            metrics.gaps().inc();
            LOG.warn(
                    "Gap in the tail {}: {}. Resubscribing, then rescanning {} from cursor 0.",
                    tail.splitId(),
                    gap,
                    tail.keyPatterns());
        }
        if (subscription == null || gap != null) {
            closeSubscription();
            connection.ensure(tail.node(), tail.database());
            subscription =
                    RedisChangeFeed.open(
                            config,
                            connection.node(),
                            tail.database(),
                            tail.mode(),
                            tail.keyPatterns(),
                            tail.channel(),
                            clientName,
                            changes.feedListener(
                                    metrics.changesReceived(),
                                    tail.mode() == RedisTailMode.CHANNEL
                                            ? connection::serves
                                            : key -> true));
            subscribedBefore = true;
            LOG.info(
                    "Subscribed {} to {} on {} (client id {})",
                    tail.splitId(),
                    RedisChangeFeed.describe(
                            tail.mode(), tail.database(), tail.keyPatterns(), tail.channel()),
                    connection.connection().description(),
                    subscription.clientId());
        }
        if (gap != null) {
            // After the subscription: a key that exists now is either read by the rescan (with a
            // later version) or changed later, which the new subscription reports.
            startRescan(null);
        }
    }

    /**
     * Opens a stream tail once, at the checkpointed position or, the first time, at the stream's
     * last entry (see {@link RedisChangeStream#open}); a loss after the position is a gap. The
     * position goes to the split's state at once, so a checkpoint before the first entry has it.
     */
    private void openStream(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        if (streamTail != null) {
            return;
        }
        connection.ensure(tail.node(), tail.database());
        streamNode = RedisStreamNode.of(config, connection.node(), tail.database(), tail.channel());
        RedisChangeStream opened =
                RedisChangeStream.open(
                        streamNode.connection(connection.connection()),
                        tail.channel(),
                        tail.keyPatterns(),
                        tail.streamPosition());
        String gap = opened.gap();
        if (gap == null && tail.isResumed() && tail.streamPosition().isEmpty()) {
            gap = "the tail was restored without a stream position";
        }
        if (gap != null) {
            streamGap(gap, opened.position());
        }
        streamTail = opened;
        out.add(tail.splitId(), RedisSplitElement.streamPosition(opened.position()));
        LOG.info(
                "Reading {} from stream {} on {} after entry {}{}, re-reading its keys on {}",
                tail.splitId(),
                tail.channel(),
                streamNode.streamNode(),
                opened.position(),
                tail.streamPosition().isEmpty()
                        ? ""
                        : " (restored position " + tail.streamPosition() + ")",
                connection.connection().description());
    }

    /** Counts and logs a loss of stream entries and starts the rescan that heals it. */
    private void streamGap(String gap, String position) throws IOException {
        metrics.gaps().inc();
        LOG.warn(
                "Gap in the tail {}: {}. Reading on from {}, then rescanning {} from cursor 0.",
                tail.splitId(),
                gap,
                position,
                tail.keyPatterns());
        startRescan(null);
    }

    /**
     * A gap from a change of the cluster's topology (see {@link RedisSplitReader}), counted and
     * logged by the caller: a failover ({@code slots} null) reopens the subscription or stream on
     * the primary read now and rescans every key; slots this primary gained are rescanned alone
     * (with those of a rescan under way, which starts over).
     */
    void topologyGap(@Nullable BitSet slots) throws IOException {
        connection.ensure(tail.node(), tail.database());
        if (slots == null) {
            if (tail.mode() == RedisTailMode.KEYSPACE) {
                // A promoted replica may lack the flags (CONFIG SET is not replicated).
                RedisKeyspaceNotifications.ensure(config, connection.node(), tail.database());
            }
            // The next open() subscribes (or reads the stream) on the new primary before the
            // rescan's first SCAN.
            closeSubscription();
            startRescan(null);
            return;
        }
        startRescan(RedisTailRescan.widen(rescan, slots));
    }

    /** Starts a rescan of {@code slots} (null: every key) from cursor 0. */
    private void startRescan(@Nullable BitSet slots) throws IOException {
        metrics.catchUps().inc();
        rescan = new RedisTailRescan(tail, slots, connection.serverTimeMicros());
    }

    /**
     * Re-reads a batch of dirty keys (or of the keys of the next stream entries, waiting up to
     * {@code blockMillis} for one) and of keys whose TTL ran out; false when there were none.
     */
    boolean readChanges(RecordsBySplits.Builder<RedisSplitElement> out, long blockMillis)
            throws IOException {
        List<byte[]> keys;
        String streamId = null;
        if (streamTail != null) {
            RedisChangeStream.Batch batch =
                    streamTail.read(
                            streamNode.connection(connection.connection()), batchSize, blockMillis);
            metrics.changesReceived().inc(batch.entries());
            if (batch.gap() != null) {
                // Its entries are still read; a rescan (again from cursor 0 if one runs, as it may
                // have passed the keys of the lost entries) covers the rest.
                streamGap(batch.gap(), streamTail.position());
            }
            keys = new ArrayList<>(batch.keys());
            // The slots served now (a stream names keys of every primary; slots move).
            keys.removeIf(key -> !connection.serves(key));
            streamId = batch.lastId();
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
            emitRecords(connection.read(keys), out);
        }
        if (streamId != null) {
            // After the records of its entries: a checkpoint before it reads them again.
            out.add(tail.splitId(), RedisSplitElement.streamPosition(streamId));
        }
        idleOnce = false;
        return true;
    }

    /** Reads the next batch of the catch-up rescan; at its end, the marker asking for a sweep. */
    void readRescanBatch(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        List<byte[]> keys = rescan.next(connection.connection(), batchSize, scanCount, wokenUp);
        rateLimit.scanned(keys.size());
        emitRecords(connection.read(keys), out);
        metrics.keysScanned().inc(keys.size());
        if (rescan.isFinished()) {
            out.add(tail.splitId(), RedisSplitElement.record(rescan.finishedMarker()));
            rescan = null;
        }
    }

    /**
     * Waits a little for a change when there is nothing else to do; a bounded tail ({@code
     * tail.stop-when-idle}) finishes at its second quiet look.
     */
    void waitForChanges(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        long waitMillis =
                Math.min(
                        IDLE_WAIT_MILLIS,
                        expiryChecks.nanosUntilNext(System.nanoTime()) / 1_000_000);
        if (streamTail != null) {
            // XREAD waits on the server (BLOCK 0 would wait forever, hence at least 1 ms).
            if (!readChanges(out, stopWhenIdle ? 0 : Math.max(1, waitMillis)) && stopWhenIdle) {
                if (idleOnce) {
                    finish(out);
                    return;
                }
                idleOnce = true;
            }
            return;
        }
        if (stopWhenIdle && changes.isEmpty() && !changes.takeOverflow()) {
            if (idleOnce) {
                finish(out);
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
    private void finish(RecordsBySplits.Builder<RedisSplitElement> out) {
        LOG.info("Tail {} is idle and the scan is done; finishing it.", tail.splitId());
        out.addFinishedSplit(tail.splitId());
        closeSubscription();
        tail = null;
        finished = true;
    }

    private void emitRecords(
            List<RedisRecord> records, RecordsBySplits.Builder<RedisSplitElement> out) {
        for (RedisRecord record : records) {
            out.add(tail.splitId(), RedisSplitElement.record(record));
        }
        watchExpiries(records);
    }

    /**
     * Schedules a re-read of each of {@code records} (of this tail or of a scan) that has a TTL,
     * for when it runs out: no writer publishes an expiry. Keyspace notifications report expiries
     * themselves.
     */
    void watchExpiries(List<RedisRecord> records) {
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

    /** Closes the subscription; the connection belongs to the split reader. */
    void close() {
        closeSubscription();
    }

    private void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (streamNode != null) {
            streamNode.close();
            streamNode = null;
            streamTail = null;
        }
    }
}
