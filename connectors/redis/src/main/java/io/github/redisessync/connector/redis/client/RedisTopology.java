package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primaries of the Redis the source's URI points at: a Redis Cluster's primaries with their
 * slots, found from any node ({@code INFO cluster}, then {@code CLUSTER SHARDS}, or {@code CLUSTER
 * SLOTS} before Redis 7), or the one server of a standalone Redis, which owns every key.
 *
 * <pre>{@code
 * RedisTopology topology = RedisTopology.discover(config); // uri, timeouts, TLS
 * for (RedisTopology.Primary primary : topology.primaries()) { ... primary.address() ... }
 * }</pre>
 *
 * <p>Addresses are {@code host:port} as the cluster announces them (its {@code
 * cluster-preferred-endpoint-type}, an IP by default); the URI's credentials and TLS apply to each.
 */
public final class RedisTopology {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTopology.class);

    private final boolean cluster;
    private final List<Primary> primaries;

    RedisTopology(boolean cluster, List<Primary> primaries) {
        this.cluster = cluster;
        this.primaries = List.copyOf(primaries);
    }

    /** Asks the server of {@code config}'s URI; fails naming it (password redacted). */
    public static RedisTopology discover(ReadableConfig config) throws IOException {
        return discover(config, null);
    }

    /**
     * Asks {@code node} ({@code host:port}; null: the URI's) with the URI's credentials and TLS.
     */
    public static RedisTopology discover(ReadableConfig config, @Nullable String node)
            throws IOException {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        String seed = node != null ? node : uri.getHost() + ":" + uri.getPort();
        // Database 0: a cluster refuses SELECT of any other, and INFO does not depend on it.
        try (RedisConnection connection = RedisConnection.open(config, seed, 0)) {
            String info;
            try {
                info = connection.call(connection.async().info("cluster"), "INFO cluster");
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("NOPERM")) {
                    throw e;
                }
                // A user without INFO read a standalone server before clusters were known; it
                // still does. On a cluster its reads of other primaries' keys meet MOVED.
                LOG.warn(
                        "The Redis user may not run INFO on {}: taking it for a standalone server."
                                + " Allow INFO (+info) for the source to find a cluster's"
                                + " primaries.",
                        connection.description());
                info = "";
            }
            if (!info.contains("cluster_enabled:1")) {
                return new RedisTopology(false, List.of(new Primary("", seed, List.of())));
            }
            List<Primary> primaries;
            try {
                primaries =
                        fromShards(
                                connection.call(
                                        connection.async().clusterShards(), "CLUSTER SHARDS"),
                                uri.isSsl());
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("ERR")) {
                    throw e;
                }
                // Redis 6.2 has no CLUSTER SHARDS ("ERR unknown subcommand").
                primaries =
                        fromSlots(
                                connection.call(
                                        connection.async().clusterSlots(), "CLUSTER SLOTS"));
            }
            if (primaries.isEmpty()) {
                throw new IOException(
                        "The Redis Cluster at "
                                + connection.description()
                                + " has no primary that serves slots.");
            }
            return new RedisTopology(true, primaries);
        }
    }

    /** Whether the server is a node of a Redis Cluster ({@code cluster_enabled:1}). */
    public boolean isCluster() {
        return cluster;
    }

    /** The primaries, ordered by address; a standalone server is the one primary. */
    public List<Primary> primaries() {
        return primaries;
    }

    /** The primary that serves {@code key}'s slot (on a standalone server, the server). */
    public Primary primaryOf(byte[] key) {
        if (!cluster) {
            return primaries.get(0);
        }
        int slot = SlotHash.getSlot(key);
        for (Primary primary : primaries) {
            if (primary.servesSlot(slot)) {
                return primary;
            }
        }
        throw new IllegalStateException(
                "No primary serves slot " + slot + " in the topology " + primaries);
    }

    /**
     * The primaries in a {@code CLUSTER SHARDS} reply: each shard is a map (a flat array in RESP2)
     * of {@code slots} (pairs of bounds) and {@code nodes} (maps with {@code id}, {@code endpoint},
     * {@code ip}, {@code port}, {@code tls-port}, {@code role}).
     */
    static List<Primary> fromShards(List<Object> shards, boolean tls) {
        List<Primary> primaries = new ArrayList<>();
        for (Object shard : shards) {
            Map<String, Object> fields = asMap(shard);
            List<int[]> ranges = new ArrayList<>();
            List<?> bounds = (List<?>) fields.get("slots");
            for (int i = 0; bounds != null && i + 1 < bounds.size(); i += 2) {
                ranges.add(new int[] {toInt(bounds.get(i)), toInt(bounds.get(i + 1))});
            }
            if (ranges.isEmpty()) {
                continue;
            }
            for (Object nodeObject : (List<?>) fields.get("nodes")) {
                Map<String, Object> node = asMap(nodeObject);
                if (!"master".equals(text(node.get("role")))) {
                    continue;
                }
                String host = text(node.get("endpoint"));
                if (host == null || host.isEmpty() || host.equals("?")) {
                    host = text(node.get("ip"));
                }
                Object port = tls && node.containsKey("tls-port") ? node.get("tls-port") : null;
                port = port != null ? port : node.get("port");
                primaries.add(new Primary(text(node.get("id")), host + ":" + toInt(port), ranges));
            }
        }
        primaries.sort(Comparator.comparing(Primary::address));
        return primaries;
    }

    /**
     * The primaries in a {@code CLUSTER SLOTS} reply: per range {@code [from, to, [ip, port, id],
     * replicas...]}, the first node the primary.
     */
    static List<Primary> fromSlots(List<Object> slots) {
        Map<String, List<int[]>> rangesById = new LinkedHashMap<>();
        Map<String, String> addressById = new LinkedHashMap<>();
        for (Object rangeObject : slots) {
            List<?> range = (List<?>) rangeObject;
            List<?> primary = (List<?>) range.get(2);
            String id = primary.size() > 2 ? text(primary.get(2)) : "";
            addressById.put(id, text(primary.get(0)) + ":" + toInt(primary.get(1)));
            rangesById
                    .computeIfAbsent(id, k -> new ArrayList<>())
                    .add(new int[] {toInt(range.get(0)), toInt(range.get(1))});
        }
        List<Primary> primaries = new ArrayList<>();
        rangesById.forEach(
                (id, ranges) -> primaries.add(new Primary(id, addressById.get(id), ranges)));
        primaries.sort(Comparator.comparing(Primary::address));
        return primaries;
    }

    private static Map<String, Object> asMap(Object reply) {
        if (reply instanceof Map) {
            Map<String, Object> map = new LinkedHashMap<>();
            ((Map<?, ?>) reply).forEach((k, v) -> map.put(text(k), v));
            return map;
        }
        List<?> flat = (List<?>) reply;
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), flat.get(i + 1));
        }
        return map;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    private static int toInt(Object value) {
        return value instanceof Number
                ? ((Number) value).intValue()
                : Integer.parseInt(text(value).trim());
    }

    @Override
    public String toString() {
        return (cluster ? "Redis Cluster with primaries " : "standalone Redis ") + primaries;
    }

    /** A primary: its node id (empty when standalone), {@code host:port} and slot ranges. */
    public static final class Primary {
        private final String nodeId;
        private final String address;
        private final List<int[]> slotRanges;

        Primary(String nodeId, String address, List<int[]> slotRanges) {
            this.nodeId = nodeId;
            this.address = address;
            this.slotRanges = List.copyOf(slotRanges);
        }

        public String nodeId() {
            return nodeId;
        }

        /** {@code host:port}: what a split's {@code node} holds. */
        public String address() {
            return address;
        }

        /** Inclusive {@code [from, to]} ranges; empty for a standalone server (every key). */
        public List<int[]> slotRanges() {
            return slotRanges;
        }

        /** The number of slots served (16384 for a standalone server). */
        public int slotCount() {
            if (slotRanges.isEmpty()) {
                return SlotHash.SLOT_COUNT;
            }
            return slotRanges.stream().mapToInt(r -> r[1] - r[0] + 1).sum();
        }

        public boolean servesSlot(int slot) {
            return slotRanges.isEmpty()
                    || slotRanges.stream().anyMatch(r -> slot >= r[0] && slot <= r[1]);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(address);
            if (!nodeId.isEmpty()) {
                text.append(" (").append(nodeId, 0, Math.min(8, nodeId.length())).append(')');
            }
            for (int[] range : slotRanges) {
                text.append(' ').append(range[0]).append('-').append(range[1]);
            }
            return text.toString();
        }
    }
}
