package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where the stream tail of one node reads its stream. A stream is one key, on the primary that
 * serves its slot, while the keys its entries name are on every primary: on a Redis Cluster the
 * tail of each primary reads the stream from the stream's primary (on a connection of its own when
 * that is another node) and keeps the keys of the slots its own primary serves now (see {@link
 * RedisReaderConnection#serves}), which it re-reads there. On a standalone server, the reader's own
 * connection.
 */
final class RedisStreamNode implements AutoCloseable {

    @Nullable private final RedisConnection own;
    private final String streamNode;

    private RedisStreamNode(@Nullable RedisConnection own, String streamNode) {
        this.own = own;
        this.streamNode = streamNode;
    }

    /** For the tail of {@code node} ({@code host:port}) reading {@code stream}. */
    static RedisStreamNode of(ReadableConfig config, String node, int database, String stream)
            throws IOException {
        RedisTopology topology = RedisTopology.discover(config, node);
        if (!topology.isCluster()) {
            return new RedisStreamNode(null, node);
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
        if (owner.address().equals(node)) {
            return new RedisStreamNode(null, node);
        }
        return new RedisStreamNode(
                RedisConnection.open(config, owner.address(), database), owner.address());
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
