package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.client.RedisTopology;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one command connection of a split reader, with the key reader on it. Its scan and tail
 * readers share it; it is opened on the node and database of the split about to be read and
 * reopened only when a split needs another one, or when a Redis Cluster moved the split's slots to
 * another primary (see {@link RedisSlotWatch}). On a cluster its reads keep to the keys of the
 * slots the primary serves: a key of another slot, or one whose read met MOVED or ASK (a slot being
 * migrated), waits for the next topology refresh and is read then if its slot is this primary's,
 * else left to the primary that serves it. Used by the fetcher thread only.
 */
final class RedisReaderConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisReaderConnection.class);

    private final ReadableConfig config;
    private final RedisSlotWatch watch;
    private final int deferredLimit;
    private RedisConnection connection;
    // The node a split named (the watched one), and the one connected to.
    private String node;
    private String target;
    private String connected;
    private long retriedAtRefresh;
    private int database = -1;
    private RedisKeyReader keyReader;
    // Keys not read because their slot was not (or no longer) this primary's, and whether more
    // than deferredLimit came.
    private List<byte[]> deferred = new ArrayList<>();
    private boolean deferredOverflow;

    RedisReaderConnection(ReadableConfig config) {
        this.config = config;
        this.watch = new RedisSlotWatch(config);
        this.deferredLimit = config.get(RedisSourceOptions.TAIL_BUFFER_SIZE);
    }

    /**
     * Opens the connection to the split's {@code node} ({@code host:port}, see {@link #target}) on
     * {@code database}, closing one open on another node or database first; on a cluster, the
     * primary that serves the node's slots now.
     */
    void ensure(String node, int database) throws IOException {
        if (!node.equals(this.node)) {
            watchNode(node);
        }
        if (database != this.database || !target.equals(connectedTo())) {
            closeConnection();
            String address = target;
            connection = RedisConnection.open(config, address, database);
            this.database = database;
            connected = address;
            keyReader =
                    new RedisKeyReader(
                            connection,
                            database,
                            config.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS),
                            config.get(RedisSourceOptions.READ_MAX_VALUE_BYTES));
        }
    }

    private String connectedTo() {
        return connection == null ? null : connected;
    }

    /**
     * Where a split of {@code node} is read: on a Redis Cluster, the node (a primary), watched; on
     * a standalone server, the URI's, even when a split restored from a checkpoint names another
     * node: the URI may have moved since, and the configured server is the one to read.
     */
    private void watchNode(String node) throws IOException {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        String configured = uri.getHost() + ":" + uri.getPort();
        RedisTopology topology;
        try {
            topology = RedisTopology.discover(config);
        } catch (IOException e) {
            // The URI's node may be a cluster node that failed since; the split's may answer.
            topology = RedisTopology.discover(config, node);
        }
        this.node = node;
        if (topology.isCluster()) {
            watch.watch(node, topology);
            target = watch.address();
            return;
        }
        target = configured;
        if (!node.equals(configured)) {
            LOG.warn(
                    "A split names node {}, but the configured server {} is no cluster node:"
                            + " reading the configured server.",
                    node,
                    RedisUris.describe(uri));
        }
    }

    /**
     * Asks a cluster for its topology when due or {@code force}d (see {@link RedisSlotWatch#poll})
     * and returns what changed, or null; a change re-points the next {@link #ensure}. Keys that
     * waited for it are then {@link #takeRetries() retried}.
     */
    @Nullable
    RedisSlotWatch.Change refresh(boolean force) {
        if (!watch.isCluster()) {
            return null;
        }
        RedisSlotWatch.Change change = watch.poll(force || !deferred.isEmpty());
        if (change != null) {
            target = watch.address();
        }
        return change;
    }

    /** How often the topology was asked (see {@link RedisSlotWatch#refreshes()}). */
    long refreshes() {
        return watch.refreshes();
    }

    /** Whether the split's node is a Redis Cluster node whose topology is followed. */
    boolean followsCluster() {
        return watch.isCluster();
    }

    /**
     * Whether the primary read serves {@code key} (any thread: the set is replaced, not changed).
     */
    boolean serves(byte[] key) {
        return watch.serves(key);
    }

    /** The slots of the primary read (all of them on a standalone server). */
    BitSet slots() {
        return watch.slots();
    }

    /**
     * The waiting keys whose slot the primary read serves after the latest refresh (the others are
     * the concern of the primary that serves them), and whether keys were dropped for lack of room.
     */
    List<byte[]> takeRetries() {
        List<byte[]> retries = new ArrayList<>();
        if (watch.isCluster() && watch.refreshes() > retriedAtRefresh) {
            retriedAtRefresh = watch.refreshes();
            for (byte[] key : deferred) {
                if (watch.serves(key)) {
                    retries.add(key);
                }
            }
            deferred = new ArrayList<>();
        }
        return retries;
    }

    /** Whether keys waiting for a refresh were dropped since the last call; clears the flag. */
    boolean takeDeferredOverflow() {
        boolean was = deferredOverflow;
        deferredOverflow = false;
        return was;
    }

    /**
     * Reads {@code keys} (see {@link RedisKeyReader#read}); on a cluster, only those of the slots
     * served, and those not redirected, which wait for the next refresh.
     */
    List<RedisRecord> read(List<byte[]> keys) throws IOException {
        if (!watch.isCluster()) {
            return keyReader.read(keys);
        }
        List<byte[]> served = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (watch.serves(key)) {
                served.add(key);
            } else {
                defer(key);
            }
        }
        List<byte[]> redirected = new ArrayList<>();
        List<RedisRecord> records = keyReader.read(served, redirected);
        redirected.forEach(this::defer);
        return records;
    }

    private void defer(byte[] key) {
        if (deferred.size() < deferredLimit) {
            deferred.add(key);
        } else {
            deferredOverflow = true;
        }
    }

    /** The {@code host:port} the connection last ensured reads. */
    String node() {
        return connected;
    }

    /** The connection last ensured, whichever split it was opened for. */
    RedisConnection connection() {
        return connection;
    }

    /** The server's {@code TIME} in µs, the clock of every version. */
    long serverTimeMicros() throws IOException {
        List<byte[]> time = connection.call(connection.async().time(), "TIME");
        long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII));
        long micros = Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
        return seconds * 1_000_000L + micros;
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
            keyReader = null;
            connected = null;
            database = -1;
        }
    }

    @Override
    public void close() {
        closeConnection();
        node = null;
        target = null;
    }
}
