package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.client.RedisTopology;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one command connection of a split reader, with the key reader on it. Its scan and tail
 * readers share it; it is opened on the node and database of the split about to be read and
 * reopened only when a split needs another one. Used by the fetcher thread only.
 */
final class RedisReaderConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisReaderConnection.class);

    private final ReadableConfig config;
    private RedisConnection connection;
    // The node a split named, and the one connected to (see target).
    private String node;
    private String target;
    private int database = -1;
    private RedisKeyReader keyReader;

    RedisReaderConnection(ReadableConfig config) {
        this.config = config;
    }

    /**
     * Opens the connection to the split's {@code node} ({@code host:port}, see {@link #target}) on
     * {@code database}, closing one open on another node or database first.
     */
    void ensure(String node, int database) throws IOException {
        if (database != this.database || !node.equals(this.node)) {
            close();
            String target = target(node);
            connection = RedisConnection.open(config, target, database);
            this.node = node;
            this.target = target;
            this.database = database;
            keyReader =
                    new RedisKeyReader(
                            connection,
                            database,
                            config.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS),
                            config.get(RedisSourceOptions.READ_MAX_VALUE_BYTES));
        }
    }

    /**
     * Where a split of {@code node} is read: on a Redis Cluster, the node (a primary); on a
     * standalone server, the URI's, even when a split restored from a checkpoint names another
     * node: the URI may have moved since, and the configured server is the one to read.
     */
    private String target(String node) throws IOException {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        String configured = uri.getHost() + ":" + uri.getPort();
        if (node.equals(configured) || RedisTopology.discover(config).isCluster()) {
            return node;
        }
        LOG.warn(
                "A split names node {}, but the configured server {} is no cluster node:"
                        + " reading the configured server.",
                node,
                RedisUris.describe(uri));
        return configured;
    }

    /** The {@code host:port} the connection last ensured reads. */
    String node() {
        return target;
    }

    /** The connection last ensured, whichever split it was opened for. */
    RedisConnection connection() {
        return connection;
    }

    /** The key reader on {@link #connection()}. */
    RedisKeyReader keyReader() {
        return keyReader;
    }

    /** The server's {@code TIME} in µs, the clock of every version. */
    long serverTimeMicros() throws IOException {
        List<byte[]> time = connection.call(connection.async().time(), "TIME");
        long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII));
        long micros = Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
        return seconds * 1_000_000L + micros;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
            keyReader = null;
            node = null;
            target = null;
            database = -1;
        }
    }
}
