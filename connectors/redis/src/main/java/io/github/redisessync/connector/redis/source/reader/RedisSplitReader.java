package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSplitKind;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * Reads the splits of one node and database on the fetcher thread, and schedules their work: the
 * scan split (a SCAN pass read in pipelined batches, each ending with its position) by a {@link
 * RedisScanSplitReader}, and the tail split (keys marked dirty by pub/sub or named by a stream,
 * re-read in pipelined batches; gaps healed by a rescan) by a {@link RedisTailSplitReader}. It owns
 * the connection both read on.
 *
 * <p>Order of work: the tail subscribes before the first SCAN. Then each fetch does one unit, a
 * batch of dirty keys or a batch of the scan, alternating, so changes never wait for the scan to
 * end. One fetch holds the records of one split only, so records leave in the order they were read,
 * and the versions of one key only grow. A rescan after a gap takes the scan's turns once the scan
 * is done, and the same {@code scan.max-keys-per-second}. On a Redis Cluster, each fetch first
 * follows the topology ({@link RedisTopologyFollower}): a failover or slots gained are a gap.
 *
 * <p>A fresh start needs the sweep that ends a rescan (see {@link RedisTailSplitReader}): copies
 * kept by an earlier run (a job started without a checkpoint against indexes that hold documents)
 * may belong to keys deleted while no job ran, and a snapshot only reads what exists. So the scan
 * split of an unbounded tailing reader that starts at its very beginning, under a tail that was not
 * restored (see {@link #sweepsAfterScan}), ends with a catch-up marker too, versioned with the
 * server time taken after the subscription opened and before the first SCAN. A scan restored
 * mid-way emits none: its restored tail is a gap, whose rescan ends with a marker of its own. A
 * bounded run ({@code tail.stop-when-idle}, or no tail) emits none either: a sweep waits for a
 * checkpoint after its marker, and a bounded job finishes without one.
 */
public class RedisSplitReader implements SplitReader<RedisSplitElement, RedisSourceSplit> {

    private final boolean stopWhenIdle;
    private final boolean tailed;
    private final Deque<RedisScanSplit> pendingScans = new ArrayDeque<>();
    private final RedisReaderConnection connection;
    private final RedisScanRateLimit rateLimit;
    private final RedisScanSplitReader scanReader;
    private final RedisTailSplitReader tailReader;
    private final RedisTopologyFollower topology;

    private volatile boolean wakeUp;
    // Whether the next fetch starts with the changes (it alternates with the scan's batches).
    private boolean changesTurn;

    public RedisSplitReader(ReadableConfig config) {
        this(config, new RedisSourceMetrics(new UnregisteredMetricsGroup()));
    }

    public RedisSplitReader(ReadableConfig config, RedisSourceMetrics metrics) {
        this(config, metrics, RedisSource.tailClientName(null));
    }

    /** {@code tailClientName}: the client name of the tail's pub/sub connections. */
    public RedisSplitReader(
            ReadableConfig config, RedisSourceMetrics metrics, String tailClientName) {
        this.stopWhenIdle = config.get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE);
        this.tailed = config.get(RedisSourceOptions.TAIL_MODE) != RedisTailMode.NONE;
        this.connection = new RedisReaderConnection(config);
        this.rateLimit =
                new RedisScanRateLimit(config.get(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND));
        this.tailReader =
                new RedisTailSplitReader(
                        config, connection, metrics, rateLimit, tailClientName, this::takeWakeUp);
        this.scanReader =
                new RedisScanSplitReader(
                        connection,
                        metrics,
                        rateLimit,
                        config.get(RedisSourceOptions.SCAN_COUNT),
                        config.get(RedisSourceOptions.READ_BATCH_SIZE),
                        this::takeWakeUp,
                        tailReader::watchExpiries);
        this.topology =
                new RedisTopologyFollower(
                        config, connection, metrics, tailReader, scanReader, this::nodeId);
    }

    /** The splits' {@code host:port/database}, for logs. */
    private String nodeId() {
        RedisTailSplit tail = tailReader.split();
        return tail != null ? tail.nodeId() : scanReader.nodeId();
    }

    @Override
    public RecordsWithSplitIds<RedisSplitElement> fetch() throws IOException {
        try {
            return fetchUnit();
        } catch (IOException e) {
            topology.failed(e);
            return new RecordsBySplits.Builder<RedisSplitElement>().build();
        }
    }

    /** Follows the cluster's topology first, then reads one unit of work. */
    private RecordsWithSplitIds<RedisSplitElement> fetchUnit() throws IOException {
        RecordsBySplits.Builder<RedisSplitElement> out = new RecordsBySplits.Builder<>();
        topology.follow(out);
        if (tailReader.split() != null) {
            tailReader.open(out);
            if (changesTurn
                    || (!scanReader.isReading()
                            && pendingScans.isEmpty()
                            && !tailReader.isRescanning())) {
                changesTurn = false;
                if (tailReader.readChanges(out, 0)) {
                    return out.build();
                }
            }
            changesTurn = true;
        } else if (tailed && !tailReader.isFinished()) {
            // The tail split of this node comes with the scan split; never scan unsubscribed.
            return out.build();
        }
        boolean scanning = scanReader.isReading() || startNextScan();
        if ((scanning || tailReader.isRescanning()) && !rateLimit.allowsNextBatch()) {
            return out.build(); // paced: the fetcher calls again, and changes keep their turn
        }
        if (scanning) {
            scanReader.readBatch(out);
        } else if (tailReader.isRescanning()) {
            tailReader.readRescanBatch(out);
        } else if (tailReader.split() != null) {
            tailReader.waitForChanges(out);
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
                tailReader.add(split.asTailSplit());
            } else {
                pendingScans.add(split.asScanSplit());
            }
        }
    }

    /** Whether the tail's subscription is open (false without a tail, or after it ended). */
    boolean tailSubscribed() {
        return tailReader.isSubscribed();
    }

    /** The Redis client id of the tail's pub/sub connection, or -1 without one (or refused). */
    long tailClientId() {
        return tailReader.clientId();
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
        tailReader.wakeUp();
    }

    @Override
    public void close() {
        tailReader.close();
        connection.close();
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
        // when tailed, and the tail reader's open(), earlier in this fetch, returned only once the
        // server confirmed the subscription. A key that exists at this time is thus read by the
        // scan or changes later, which the tail reports; the time is read before the first SCAN.
        boolean tailOpen = tailReader.isOpen();
        scanReader.start(
                next,
                sweepsAfterScan(next, tailReader.split(), stopWhenIdle) && tailOpen,
                tailOpen);
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
}
