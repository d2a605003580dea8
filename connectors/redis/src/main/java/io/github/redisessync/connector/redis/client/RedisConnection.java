package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * One binary-safe, manually flushed connection to one Redis database, with the client that owns it.
 *
 * <p>Auto-flush is off so that batches of commands go out in one write: every caller issues its
 * commands on {@link #async()} and then calls {@link #flush()}.
 */
public final class RedisConnection implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final String description;
    private final Duration commandTimeout;

    private RedisConnection(
            ClientResources resources,
            RedisClient client,
            StatefulRedisConnection<byte[], byte[]> connection,
            String description,
            Duration commandTimeout) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.description = description;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Connects to the configured server and the given database, failing fast (within the connect
     * timeout) with the URI, password redacted, in the message.
     */
    public static RedisConnection open(ReadableConfig config, int database) throws IOException {
        return open(config, null, database);
    }

    /**
     * Connects to {@code node} ({@code host:port}, e.g. a cluster primary; null for the URI's own
     * host and port) with the URI's credentials and TLS, and selects {@code database}.
     */
    public static RedisConnection open(ReadableConfig config, @Nullable String node, int database)
            throws IOException {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        atNode(uri, node);
        uri.setDatabase(database);
        Duration connectTimeout = config.get(RedisSourceOptions.CONNECT_TIMEOUT);
        Duration commandTimeout = config.get(RedisSourceOptions.COMMAND_TIMEOUT);
        // Lettuce waits for the handshake (AUTH, SELECT) with the URI's timeout.
        uri.setTimeout(connectTimeout.plus(commandTimeout));
        String description = RedisUris.describe(uri);

        // Own resources (a couple of threads): closing them with the reader leaves nothing behind.
        ClientResources resources =
                DefaultClientResources.builder()
                        .ioThreadPoolSize(2)
                        .computationThreadPoolSize(1)
                        .build();
        RedisClient client =
                RedisClients.create(
                        resources,
                        ClientOptions.builder()
                                .socketOptions(
                                        SocketOptions.builder()
                                                .connectTimeout(connectTimeout)
                                                .build())
                                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                                // A read that cannot be sent fails now; Flink restarts from a
                                // checkpoint.
                                .disconnectedBehavior(
                                        ClientOptions.DisconnectedBehavior.REJECT_COMMANDS),
                        config.get(RedisSourceOptions.URI));
        try {
            StatefulRedisConnection<byte[], byte[]> connection =
                    client.connect(ByteArrayCodec.INSTANCE, uri);
            connection.setAutoFlushCommands(false);
            return new RedisConnection(resources, client, connection, description, commandTimeout);
        } catch (RuntimeException e) {
            shutdown(client, resources);
            throw new IOException(
                    "Could not connect to Redis at "
                            + description
                            + " (connect timeout "
                            + connectTimeout.toMillis()
                            + " ms): "
                            + RedisClients.describe(e),
                    e);
        }
    }

    /**
     * Points {@code uri} at {@code node} ({@code host:port}; null leaves it): credentials, TLS and
     * the other settings stay, so a cluster's primaries are reached the way the seed is.
     */
    static void atNode(RedisURI uri, @Nullable String node) {
        if (node == null) {
            return;
        }
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || colon == node.length() - 1) {
            throw new IllegalArgumentException("A node must be host:port, was '" + node + "'.");
        }
        String host = node.substring(0, colon);
        // An IPv6 address may come bracketed; Lettuce wants it bare.
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        uri.setHost(host);
        uri.setPort(Integer.parseInt(node.substring(colon + 1)));
    }

    public RedisAsyncCommands<byte[], byte[]> async() {
        return connection.async();
    }

    public void flush() {
        connection.flushCommands();
    }

    /** {@code scheme://host:port/database}, for logs and errors. */
    public String description() {
        return description;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Flushes and waits for one command, within the command timeout. */
    public <T> T call(RedisFuture<T> future, String what) throws IOException {
        flush();
        try {
            return future.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(
                    what + " failed on " + description + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException(
                    what + " got no reply from " + description + " within " + commandTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted on " + description, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            shutdown(client, resources);
        }
    }

    private static void shutdown(RedisClient client, ClientResources resources) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
