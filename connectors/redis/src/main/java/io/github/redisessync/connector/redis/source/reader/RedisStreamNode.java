package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisTopology;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where the stream tail of one node reads its stream, and which of the keys it names are that
 * node's. A stream is one key, on the primary that serves its slot, while the keys its entries name
 * are on every primary: on a Redis Cluster the tail of each primary reads the stream from the
 * stream's primary (on a connection of its own when that is another node) and keeps the keys of its
 * own slots, which it re-reads on its own node. On a standalone server, the reader's own connection
 * and every key.
 */
final class RedisStreamNode implements AutoCloseable {

    @Nullable private final RedisConnection own;
    private final Predicate<byte[]> served;
    private final String streamNode;

    private RedisStreamNode(
            @Nullable RedisConnection own, Predicate<byte[]> served, String streamNode) {
        this.own = own;
        this.served = served;
        this.streamNode = streamNode;
    }

    /** For the tail of {@code node} ({@code host:port}) reading {@code stream}. */
    static RedisStreamNode of(ReadableConfig config, String node, int database, String stream)
            throws IOException {
        RedisTopology topology = RedisTopology.discover(config, node);
        if (!topology.isCluster()) {
            return new RedisStreamNode(null, key -> true, node);
        }
        RedisTopology.Primary mine = null;
        for (RedisTopology.Primary primary : topology.primaries()) {
            if (primary.address().equals(node)) {
                mine = primary;
            }
        }
        if (mine == null) {
            throw new IOException(
                    "The Redis Cluster node " + node + " is no primary of " + topology + ".");
        }
        RedisTopology.Primary owner = topology.primaryOf(stream.getBytes(StandardCharsets.UTF_8));
        RedisTopology.Primary self = mine;
        Predicate<byte[]> served = key -> self.servesSlot(slotOf(key));
        if (owner.address().equals(node)) {
            return new RedisStreamNode(null, served, node);
        }
        return new RedisStreamNode(
                RedisConnection.open(config, owner.address(), database), served, owner.address());
    }

    private static int slotOf(byte[] key) {
        return SlotHash.getSlot(key);
    }

    /** The connection to read the stream on: its own, or else the reader's {@code fallback}. */
    RedisConnection connection(RedisConnection fallback) {
        return own != null ? own : fallback;
    }

    /** The node that holds the stream, for logs. */
    String streamNode() {
        return streamNode;
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }
}
