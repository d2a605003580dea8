package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.util.function.Predicate;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The keys a node serves: all of a standalone server's, the slots of a cluster primary. A channel
 * message published on any node of a cluster reaches the subscribers of every node, so the tail of
 * each primary keeps ({@link #ofTail}) the keys that it can read on its own node.
 */
public final class RedisNodeKeys {

    private RedisNodeKeys() {}

    /** Which keys {@code node} ({@code host:port}) serves, as it reports now. */
    public static Predicate<byte[]> servedBy(ReadableConfig config, String node)
            throws IOException {
        RedisTopology topology = RedisTopology.discover(config, node);
        if (!topology.isCluster()) {
            return key -> true;
        }
        for (RedisTopology.Primary primary : topology.primaries()) {
            if (primary.address().equals(node)) {
                return key -> primary.servesSlot(SlotHash.getSlot(key));
            }
        }
        throw new IOException(
                "The Redis Cluster node "
                        + node
                        + " serves no slots (it is no primary of "
                        + topology
                        + ").");
    }

    /**
     * The keys the tail of {@code mode} on {@code node} takes from its feed: for a channel, those
     * of the node's slots (asked now); keyspace notifications name only the node's own keys.
     */
    public static Predicate<byte[]> ofTail(ReadableConfig config, RedisTailMode mode, String node)
            throws IOException {
        return mode == RedisTailMode.CHANNEL ? servedBy(config, node) : key -> true;
    }
}
