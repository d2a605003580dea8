package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open pub/sub subscription of a tail split: every message marks its key dirty in the {@link
 * RedisChangeBuffer}.
 *
 * <p>Lettuce's automatic reconnect is off on purpose: a reconnect resubscribes silently, and the
 * notifications sent while the connection was down would be lost without anyone knowing. Instead
 * the connection listener marks the subscription lost, and the reader opens a new one and rescans
 * (a gap). {@link #open} returns once the server confirmed the subscription, so a SCAN started
 * afterwards cannot miss a change.
 */
final class RedisTailSubscription implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTailSubscription.class);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final long clientId;
    private volatile boolean lost;

    private RedisTailSubscription(
            ClientResources resources,
            RedisClient client,
            StatefulRedisPubSubConnection<byte[], byte[]> connection,
            long clientId) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.clientId = clientId;
    }

    /**
     * Connects as {@code clientName}, subscribes and waits for the server's confirmation. The name
     * lets {@code CLIENT LIST} tell this job's subscription from other subscribers.
     */
    static RedisTailSubscription open(
            ReadableConfig config,
            RedisTailSplit split,
            RedisChangeBuffer buffer,
            Counter changesReceived,
            String clientName)
            throws IOException {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        uri.setDatabase(split.database());
        uri.setClientName(clientName);
        Duration connectTimeout = config.get(RedisSourceOptions.CONNECT_TIMEOUT);
        Duration commandTimeout = config.get(RedisSourceOptions.COMMAND_TIMEOUT);
        uri.setTimeout(connectTimeout.plus(commandTimeout));
        ClientResources resources =
                DefaultClientResources.builder()
                        .ioThreadPoolSize(1)
                        .computationThreadPoolSize(1)
                        .build();
        RedisClient client =
                RedisClients.create(
                        resources,
                        ClientOptions.builder()
                                .autoReconnect(false)
                                .socketOptions(
                                        SocketOptions.builder()
                                                .connectTimeout(connectTimeout)
                                                .build()),
                        config.get(RedisSourceOptions.URI));
        RedisTailSubscription subscription = null;
        StatefulRedisPubSubConnection<byte[], byte[]> connected = null;
        try {
            StatefulRedisPubSubConnection<byte[], byte[]> connection =
                    client.connectPubSub(ByteArrayCodec.INSTANCE, uri);
            connected = connection;
            long clientId = clientId(connection, commandTimeout);
            subscription = new RedisTailSubscription(resources, client, connection, clientId);
            RedisTailSubscription self = subscription;
            connection.addListener(
                    new RedisConnectionStateListener() {
                        @Override
                        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                            self.lost = true;
                            buffer.signal();
                        }
                    });
            connection.addListener(listener(split, buffer, changesReceived));
            if (split.mode() == RedisTailMode.KEYSPACE) {
                byte[][] patterns =
                        split.keyPatterns().stream()
                                .map(p -> utf8(keyspacePrefix(split.database()) + p))
                                .toArray(byte[][]::new);
                connection
                        .async()
                        .psubscribe(patterns)
                        .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                connection
                        .async()
                        .subscribe(utf8(split.channel()))
                        .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return subscription;
        } catch (Exception e) {
            if (subscription != null) {
                subscription.close();
            } else {
                if (connected != null) {
                    connected.close();
                }
                shutdown(client, resources);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(
                    "Could not subscribe to "
                            + describe(split)
                            + " on "
                            + RedisUris.describe(uri)
                            + ": "
                            + RedisClients.describe(e),
                    e);
        }
    }

    /**
     * The connection's {@code CLIENT ID}, asked before subscribing (RESP2 allows nothing else
     * after): it names the connection in {@code CLIENT LIST} and the log, so that it can be found,
     * or killed by itself. Only a diagnostic: a server that refuses the command (an ACL user
     * without {@code @connection}) gets -1, and the tail subscribes all the same.
     */
    private static long clientId(
            StatefulRedisPubSubConnection<byte[], byte[]> connection, Duration commandTimeout)
            throws InterruptedException, TimeoutException {
        try {
            return connection
                    .async()
                    .clientId()
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.debug("CLIENT ID refused: {}", RedisClients.describe(e));
            return -1;
        }
    }

    /** What the split subscribes to, for logs and errors. */
    static String describe(RedisTailSplit split) {
        if (split.mode() == RedisTailMode.KEYSPACE) {
            return "keyspace notifications "
                    + split.keyPatterns().stream()
                            .map(p -> keyspacePrefix(split.database()) + p)
                            .collect(Collectors.joining(", "));
        }
        return "channel " + split.channel();
    }

    static String keyspacePrefix(int database) {
        return "__keyspace@" + database + "__:";
    }

    /** The server's id of this pub/sub connection ({@code CLIENT ID}), or -1 if refused. */
    long clientId() {
        return clientId;
    }

    /** True once the connection dropped: the notifications since then are lost. */
    boolean isLost() {
        return lost || !connection.isOpen();
    }

    private static RedisPubSubAdapter<byte[], byte[]> listener(
            RedisTailSplit split, RedisChangeBuffer buffer, Counter changesReceived) {
        if (split.mode() == RedisTailMode.KEYSPACE) {
            int prefixLength = utf8(keyspacePrefix(split.database())).length;
            return new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] pattern, byte[] channel, byte[] event) {
                    changesReceived.inc();
                    buffer.offer(Arrays.copyOfRange(channel, prefixLength, channel.length));
                }
            };
        }
        List<byte[]> patterns =
                split.keyPatterns().stream()
                        .map(RedisTailSubscription::utf8)
                        .collect(Collectors.toList());
        return new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                changesReceived.inc();
                byte[] key = RedisChangeMessages.keyOf(message);
                if (key != null && patterns.stream().anyMatch(p -> RedisGlob.matches(p, key))) {
                    buffer.offer(key);
                }
            }
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
