package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a Redis Cluster's topology for a {@link RedisSplitReader}: before each fetch it asks
 * ({@link RedisSlotWatch}, on the refresh interval, or at once after a failed read, MOVED or ASK)
 * and turns a change into a gap, counted in {@code redisGaps} and logged once with the node:
 *
 * <ul>
 *   <li>a failover (the split's slots are another primary's now, after {@code CLUSTER FAILOVER} or
 *       a dead primary's replica took over): the tail resubscribes on the new primary and rescans
 *       every key there; a scan under way starts over there;
 *   <li>slots this primary gained (migrated from another), gathered until a refresh finds no
 *       further change: the tail rescans those slots alone; without a tail, a scan under way starts
 *       over. Slots it lost are left to their new owner.
 *   <li>a failed read (the node down, or a connection lost) that is no failover: retried until
 *       {@code cluster.failover-timeout}, then the tail rescans every key and the scan starts over,
 *       as the batch that failed was not emitted.
 * </ul>
 *
 * Keys whose reads were redirected, or whose slots were not this primary's, wait for the next
 * refresh (see {@link RedisReaderConnection}) and are then re-read by the tail (or for the scan).
 * Fetcher thread only.
 */
final class RedisTopologyFollower {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTopologyFollower.class);

    /** Between attempts while the node cannot be read (the cluster is failing over). */
    private static final long RETRY_PAUSE_MILLIS = 200;

    private final RedisReaderConnection connection;
    private final RedisSourceMetrics metrics;
    private final RedisTailSplitReader tailReader;
    private final RedisScanSplitReader scanReader;
    private final Supplier<String> nodeId;
    private final long failoverTimeoutNanos;
    // Slots gained and lost by changes not yet settled (see follow).
    private final BitSet gained = new BitSet();
    private final BitSet lost = new BitSet();
    private long failingSince = -1;
    private IOException failure;

    RedisTopologyFollower(
            ReadableConfig config,
            RedisReaderConnection connection,
            RedisSourceMetrics metrics,
            RedisTailSplitReader tailReader,
            RedisScanSplitReader scanReader,
            Supplier<String> nodeId) {
        this.connection = connection;
        this.metrics = metrics;
        this.tailReader = tailReader;
        this.scanReader = scanReader;
        this.nodeId = nodeId;
        this.failoverTimeoutNanos =
                config.get(RedisSourceOptions.CLUSTER_FAILOVER_TIMEOUT).toNanos();
    }

    /**
     * Asks for the topology when due (at once after a failure) and heals a change; then hands the
     * keys that waited for a refresh to the tail, or reads them for the scan into {@code out}.
     */
    void follow(RecordsBySplits.Builder<RedisSplitElement> out) throws IOException {
        if (!connection.followsCluster()) {
            return;
        }
        String before = connection.node();
        long asked = connection.refreshes();
        boolean settling = !gained.isEmpty() || !lost.isEmpty();
        RedisSlotWatch.Change change = connection.refresh(failingSince >= 0 || settling);
        if (change != null && change.moved()) {
            gained.clear();
            lost.clear();
            gap(null, change.toString());
        } else if (change != null) {
            // Slots move one at a time: gather them until a refresh finds no further change.
            gained.andNot(change.lost);
            gained.or(change.gained);
            lost.andNot(change.gained);
            lost.or(change.lost);
            if (!change.unread.isEmpty()) {
                LOG.warn(
                        "Redis Cluster topology: slots {} of {} moved to {}, a primary added after"
                                + " the source started, which it does not read: changes there"
                                + " are not followed until the job is started again (#14).",
                        RedisSlotWatch.ranges(change.lost),
                        before,
                        change.unread);
            }
        } else if (settling && connection.refreshes() > asked) {
            settled(before);
        }
        if (failingSince >= 0) {
            // No new owner: the node answers again, or this attempt fails as the last did.
            gap(
                    null,
                    "reads on "
                            + before
                            + " failed ("
                            + failure.getMessage()
                            + ") and it is still the primary of its slots");
        }
        if (connection.takeDeferredOverflow()) {
            gap(null, "more keys waited for a topology refresh than the tail buffer holds");
        }
        List<byte[]> retries = connection.takeRetries();
        if (retries.isEmpty()) {
            return;
        }
        if (tailReader.split() != null) {
            tailReader.retry(retries);
        } else if (scanReader.isReading()) {
            for (RedisRecord record : connection.read(retries)) {
                out.add(scanReader.splitId(), RedisSplitElement.record(record));
            }
        }
    }

    /** The slots gained and lost since the last settled change: a gap of those gained. */
    private void settled(String node) throws IOException {
        if (!lost.isEmpty()) {
            LOG.info(
                    "Redis Cluster topology: {} lost slots {} (read by their new primary's"
                            + " reader now).",
                    node,
                    RedisSlotWatch.ranges(lost));
            lost.clear();
        }
        if (!gained.isEmpty()) {
            BitSet slots = (BitSet) gained.clone();
            gained.clear();
            gap(slots, node + " gained slots " + RedisSlotWatch.ranges(slots));
        }
    }

    /**
     * A fetch failed with {@code e}: on a cluster, the topology is asked at the next fetch, and
     * {@code e} is thrown only once the node has failed for {@code cluster.failover-timeout}.
     */
    void failed(IOException e) throws IOException {
        if (!connection.followsCluster()) {
            throw e;
        }
        long now = System.nanoTime();
        if (failingSince < 0) {
            failingSince = now;
            failure = e;
            LOG.warn(
                    "Reading {} on {} failed: {}. Asking the Redis Cluster for a primary of its"
                            + " slots until {} passed.",
                    nodeId.get(),
                    connection.node(),
                    e.getMessage(),
                    RedisSourceOptions.CLUSTER_FAILOVER_TIMEOUT.key());
        } else if (now - failingSince > failoverTimeoutNanos) {
            throw new IOException(
                    "Reading "
                            + nodeId.get()
                            + " failed, and no other primary took over its slots within "
                            + RedisSourceOptions.CLUSTER_FAILOVER_TIMEOUT.key()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for a Redis Cluster failover", e);
        }
    }

    /**
     * Heals a gap of {@code slots} (null: every key of the primary read now, which also starts a
     * scan under way over): the tail rescans them; then, as the commands to the node worked, the
     * gap is counted and logged.
     */
    private void gap(@Nullable BitSet slots, String why) throws IOException {
        boolean tailed = tailReader.split() != null;
        if (tailed) {
            tailReader.topologyGap(slots);
        }
        if (slots == null || !tailed) {
            scanReader.restart(why);
        }
        failingSince = -1;
        failure = null;
        metrics.gaps().inc();
        LOG.warn(
                "Gap in {} from the Redis Cluster's topology: {}. Reading on {}; {}.",
                nodeId.get(),
                why,
                connection.node(),
                !tailed
                        ? "no tail to rescan with"
                        : slots == null
                                ? "resubscribing, then rescanning every key from cursor 0"
                                : "rescanning slots " + RedisSlotWatch.ranges(slots));
    }
}
