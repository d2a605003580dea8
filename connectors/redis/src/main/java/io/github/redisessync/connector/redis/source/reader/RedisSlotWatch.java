package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisTopology;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a split reader's node is in a Redis Cluster now: the primary it reads ({@link #address()};
 * after a failover, the node that took over the slots of the split's node, which served none
 * before) and the slots that primary serves. {@link #poll} asks the topology again when the refresh
 * interval ({@code cluster.topology-refresh-interval}) has passed, or at once after a lost
 * connection, MOVED or ASK, and reports what changed. On a standalone server it never changes.
 * Fetcher thread only.
 */
final class RedisSlotWatch {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSlotWatch.class);

    /** A forced refresh is not repeated more often than this (a node down until a failover). */
    private static final long MIN_FORCED_NANOS = Duration.ofMillis(200).toNanos();

    private final ReadableConfig config;
    private final long intervalNanos;
    private final Set<String> knownNodes = new LinkedHashSet<>();
    // The primaries when the watch began and those a failover moved a reader to: each is read.
    private final Set<String> readPrimaries = new LinkedHashSet<>();
    // The primaries serving slots at the last refresh.
    private Set<String> primaries = Set.of();
    private volatile boolean cluster;
    private volatile String address;
    // Replaced, never changed: a channel's listener thread reads it through serves().
    private volatile BitSet slots = new BitSet();
    private long refreshedNanos;
    private long refreshes;
    // A change found by watch(), reported by the next poll.
    @Nullable private Change pending;

    RedisSlotWatch(ReadableConfig config) {
        this.config = config;
        this.intervalNanos = config.get(RedisSourceOptions.CLUSTER_TOPOLOGY_REFRESH).toNanos();
    }

    /**
     * Starts watching {@code node} ({@code host:port}) from the topology {@code topology}. A node
     * that is a replica now (a split restored after a failover) is followed to its primary: the
     * first {@link #poll} reports that as a change.
     */
    void watch(String node, RedisTopology topology) {
        address = node;
        cluster = topology.isCluster();
        slots = slotsOf(topology, node);
        remember(topology);
        readPrimaries.addAll(primaries);
        refreshedNanos = System.nanoTime();
        String primary = cluster && slots.isEmpty() ? primaryOfReplica(node) : null;
        if (primary != null && !slotsOf(topology, primary).isEmpty()) {
            BitSet theirs = slotsOf(topology, primary);
            pending = new Change(node, primary, theirs, new BitSet(), Set.of());
            address = primary;
            slots = theirs;
        }
    }

    /** The primary {@code node} replicates ({@code INFO replication}), or null. */
    @Nullable
    private String primaryOfReplica(String node) {
        try (RedisConnection connection = RedisConnection.open(config, node, 0)) {
            String info =
                    connection.call(connection.async().info("replication"), "INFO replication");
            String host = null;
            String port = null;
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("master_host:")) {
                    host = line.substring("master_host:".length()).trim();
                } else if (line.startsWith("master_port:")) {
                    port = line.substring("master_port:".length()).trim();
                }
            }
            return host != null && port != null ? host + ":" + port : null;
        } catch (IOException e) {
            LOG.debug("Could not ask {} which primary it replicates", node, e);
            return null;
        }
    }

    /** Whether a node is watched and it is a cluster node (otherwise nothing ever changes). */
    boolean isCluster() {
        return cluster && address != null;
    }

    /** The primary read now. */
    String address() {
        return address;
    }

    /** How often the topology was asked since the watch began. */
    long refreshes() {
        return refreshes;
    }

    /** Whether the primary read serves {@code key}'s slot (always on a standalone server). */
    boolean serves(byte[] key) {
        return !isCluster() || slots.get(SlotHash.getSlot(key));
    }

    /** The slots the primary read serves (all 16384 on a standalone server). */
    BitSet slots() {
        if (!isCluster()) {
            BitSet all = new BitSet();
            all.set(0, SlotHash.SLOT_COUNT);
            return all;
        }
        return (BitSet) slots.clone();
    }

    /**
     * Asks the topology when the interval passed or {@code force} (at most every 200 ms) and
     * returns what changed for the primary read, or null for nothing (also while no node answers,
     * or while the slots of a failed primary have no new owner yet).
     */
    @Nullable
    Change poll(boolean force) {
        if (pending != null) {
            Change change = pending;
            pending = null;
            return change;
        }
        long now = System.nanoTime();
        long since = now - refreshedNanos;
        if (!isCluster() || since < (force ? MIN_FORCED_NANOS : intervalNanos)) {
            return null;
        }
        refreshedNanos = now;
        refreshes++;
        RedisTopology topology = discover();
        if (topology == null || !topology.isCluster()) {
            return null;
        }
        Set<String> primariesBefore = primaries;
        remember(topology);
        BitSet current = slotsOf(topology, address);
        String to = address;
        if (current.isEmpty()) {
            // No longer a primary (a replica now, or failed): the new owner of most of its slots.
            int best = 0;
            for (RedisTopology.Primary primary : topology.primaries()) {
                BitSet theirs = slotsOf(topology, primary.address());
                theirs.and(slots);
                if (theirs.cardinality() > best) {
                    best = theirs.cardinality();
                    to = primary.address();
                }
            }
            if (best == 0) {
                return null;
            }
            if (primariesBefore.contains(to)) {
                // Its last slots went to a primary that served slots before: it was emptied by a
                // resharding (to be removed), not failed over; that primary's reader reads them.
                to = address;
            } else {
                current = slotsOf(topology, to);
            }
        }
        BitSet gained = (BitSet) current.clone();
        BitSet lost = (BitSet) slots.clone();
        if (to.equals(address)) {
            gained.andNot(slots);
            lost.andNot(current);
        }
        if (to.equals(address) && gained.isEmpty() && lost.isEmpty()) {
            return null;
        }
        Set<String> unread = new LinkedHashSet<>();
        for (RedisTopology.Primary primary : topology.primaries()) {
            BitSet theirs = slotsOf(topology, primary.address());
            if (theirs.intersects(lost) && !readPrimaries.contains(primary.address())) {
                unread.add(primary.address());
            }
        }
        readPrimaries.add(to);
        Change change = new Change(address, to, gained, lost, unread);
        address = to;
        slots = current;
        return change;
    }

    /** The topology as the first node that answers tells it: ours, others we know, the URI's. */
    @Nullable
    private RedisTopology discover() {
        List<String> candidates = new ArrayList<>();
        candidates.add(address);
        candidates.addAll(knownNodes);
        candidates.add(null);
        IOException last = null;
        for (String candidate : candidates) {
            try {
                return RedisTopology.discover(config, candidate);
            } catch (IOException e) {
                last = e;
            }
        }
        LOG.debug("No Redis Cluster node answered for the topology of {}", address, last);
        return null;
    }

    private void remember(RedisTopology topology) {
        Set<String> addresses = new LinkedHashSet<>();
        topology.primaries().forEach(primary -> addresses.add(primary.address()));
        knownNodes.addAll(addresses);
        primaries = addresses;
    }

    private static BitSet slotsOf(RedisTopology topology, String node) {
        BitSet slots = new BitSet();
        for (RedisTopology.Primary primary : topology.primaries()) {
            if (primary.address().equals(node)) {
                for (int[] range : primary.slotRanges()) {
                    slots.set(range[0], range[1] + 1);
                }
            }
        }
        return slots;
    }

    /** What changed for the primary read: it moved ({@code from != to}), or its slots did. */
    static final class Change {
        final String from;
        final String to;
        final BitSet gained;
        final BitSet lost;
        // Primaries that took lost slots and that no reader reads (added after the start).
        final Set<String> unread;

        Change(String from, String to, BitSet gained, BitSet lost, Set<String> unread) {
            this.unread = unread;
            this.from = from;
            this.to = to;
            this.gained = gained;
            this.lost = lost;
        }

        /** Whether another primary serves the split's slots now (a failover). */
        boolean moved() {
            return !from.equals(to);
        }

        @Override
        public String toString() {
            return moved()
                    ? "its slots moved from " + from + " to " + to + " (a failover)"
                    : from
                            + (gained.isEmpty() ? "" : " gained slots " + ranges(gained))
                            + (gained.isEmpty() || lost.isEmpty() ? "" : " and")
                            + (lost.isEmpty() ? "" : " lost slots " + ranges(lost));
        }
    }

    /** {@code 0-99,200} for a set of slots. */
    static String ranges(BitSet slots) {
        StringBuilder text = new StringBuilder();
        for (int from = slots.nextSetBit(0); from >= 0; ) {
            int to = slots.nextClearBit(from) - 1;
            text.append(text.length() == 0 ? "" : ",").append(from);
            if (to > from) {
                text.append('-').append(to);
            }
            from = slots.nextSetBit(to + 1);
        }
        return text.toString();
    }
}
