package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that change in Redis, as they change: keyspace notifications of the key patterns, or the
 * messages of an application channel that name the changed key (the raw key, or a JSON change
 * record with a {@code key}). The source's tail and {@code reindex} both follow changes through
 * this class.
 *
 * <p>Lettuce's automatic reconnect is off on purpose: a reconnect resubscribes silently, and the
 * changes sent while the connection was down would be lost without anyone knowing. Instead the feed
 * is {@link #isLost() lost}, the listener is told, and the caller opens a new one and rescans.
 * {@link #open} returns once the server confirmed the subscription, so a SCAN started afterwards
 * cannot miss a change.
 *
 * <pre>{@code
 * try (RedisChangeFeed feed = RedisChangeFeed.open(config, 0, RedisTailMode.KEYSPACE,
 *         List.of("user:*"), null, "my-app", (key, removal) -> dirty.add(key))) {
 *     ... scan and read ...
 *     feed.awaitDelivered(Duration.ofSeconds(30)); // every change before this call was reported
 * }
 * }</pre>
 */
public final class RedisChangeFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeFeed.class);

    /** Keyspace events after which the key may be gone from this database. */
    private static final Set<String> REMOVALS =
            Set.of("del", "expired", "evicted", "rename_from", "move_from");

    /** What the feed reports, on the connection's I/O thread: keep it short. */
    public interface Listener {
        /**
         * {@code key} changed. {@code mayBeRemoved}: the change may have removed it (a delete,
         * expiry, eviction, rename or move away; every channel message, which does not say).
         */
        void changed(byte[] key, boolean mayBeRemoved);

        /** The connection dropped: the changes made from now on are not reported. */
        default void lost() {}
    }

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final String description;
    private final Duration commandTimeout;
    private final byte[] barrierChannel;
    private final Object barrierLock = new Object();
    private volatile boolean lost;
    private long clientId = -1;
    // Guarded by barrierLock.
    private StatefulRedisConnection<byte[], byte[]> publisher;
    private long barriersSent;
    private long barriersSeen;

    private RedisChangeFeed(
            ClientResources resources,
            RedisClient client,
            RedisURI uri,
            StatefulRedisPubSubConnection<byte[], byte[]> connection,
            String description,
            Duration commandTimeout) {
        this.resources = resources;
        this.client = client;
        this.uri = uri;
        this.connection = connection;
        this.description = description;
        this.commandTimeout = commandTimeout;
        this.barrierChannel = utf8("redis-es-sync:barrier:" + UUID.randomUUID());
    }

    /**
     * Connects as {@code clientName} (so that {@code CLIENT LIST} tells this subscriber from
     * others) to {@code uri} and {@code database} of {@code config}, subscribes and waits for the
     * server's confirmation. {@code mode} is {@code KEYSPACE} (notifications of {@code
     * keyPatterns}; the server's {@code notify-keyspace-events} must allow them, see {@link
     * RedisKeyspaceNotifications}) or {@code CHANNEL} ({@code channel}'s messages that name a key
     * matching one of {@code keyPatterns}).
     */
    public static RedisChangeFeed open(
            ReadableConfig config,
            int database,
            RedisTailMode mode,
            List<String> keyPatterns,
            String channel,
            String clientName,
            Listener listener)
            throws IOException {
        return open(config, null, database, mode, keyPatterns, channel, clientName, listener);
    }

    /**
     * {@link #open(ReadableConfig, int, RedisTailMode, List, String, String, Listener)} on {@code
     * node} ({@code host:port}, a cluster primary; null for the URI's host and port). Keyspace
     * notifications are per node: a cluster needs a feed on each primary. A plain {@code PUBLISH}
     * reaches the subscribers of every node of a cluster, so one channel feed on any node hears
     * them all.
     */
    public static RedisChangeFeed open(
            ReadableConfig config,
            @Nullable String node,
            int database,
            RedisTailMode mode,
            List<String> keyPatterns,
            String channel,
            String clientName,
            Listener listener)
            throws IOException {
        if (mode != RedisTailMode.KEYSPACE && mode != RedisTailMode.CHANNEL) {
            throw new IllegalArgumentException(
                    "A change feed follows keyspace or channel, not " + mode);
        }
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        RedisConnection.atNode(uri, node);
        uri.setDatabase(database);
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
        String what = describe(mode, database, keyPatterns, channel);
        RedisChangeFeed feed = null;
        StatefulRedisPubSubConnection<byte[], byte[]> connected = null;
        try {
            connected = client.connectPubSub(ByteArrayCodec.INSTANCE, uri);
            feed = new RedisChangeFeed(resources, client, uri, connected, what, commandTimeout);
            feed.clientId = clientId(connected, commandTimeout);
            RedisChangeFeed self = feed;
            connected.addListener(
                    new RedisConnectionStateListener() {
                        @Override
                        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                            self.lost = true;
                            listener.lost();
                        }
                    });
            connected.addListener(feed.messages(mode, database, keyPatterns, listener));
            long timeout = commandTimeout.toMillis();
            if (mode == RedisTailMode.KEYSPACE) {
                byte[][] patterns =
                        keyPatterns.stream()
                                .map(p -> utf8(keyspacePrefix(database) + p))
                                .toArray(byte[][]::new);
                connected.async().psubscribe(patterns).get(timeout, TimeUnit.MILLISECONDS);
            } else {
                connected.async().subscribe(utf8(channel)).get(timeout, TimeUnit.MILLISECONDS);
            }
            return feed;
        } catch (Exception e) {
            if (feed != null) {
                feed.close();
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
                            + what
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
     * without {@code @connection}) gets -1, and the feed subscribes all the same.
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

    /** What a feed subscribes to, for logs and errors. */
    public static String describe(
            RedisTailMode mode, int database, List<String> keyPatterns, String channel) {
        if (mode == RedisTailMode.KEYSPACE) {
            return "keyspace notifications "
                    + keyPatterns.stream()
                            .map(p -> keyspacePrefix(database) + p)
                            .collect(Collectors.joining(", "));
        }
        return "channel " + channel;
    }

    private static String keyspacePrefix(int database) {
        return "__keyspace@" + database + "__:";
    }

    /** The server's id of this pub/sub connection ({@code CLIENT ID}), or -1 if refused. */
    public long clientId() {
        return clientId;
    }

    /** True once the connection dropped: the changes since then are not reported. */
    public boolean isLost() {
        return lost || !connection.isOpen();
    }

    /**
     * Returns once every change made before this call has been given to the listener. It publishes
     * a token on a private channel of the same connection and waits for it to come back: Redis
     * writes a subscriber's messages in the order it generates them, so the notification or message
     * of every command that ran before the {@code PUBLISH} arrived first.
     *
     * @throws IOException the feed was lost, or the token did not come back within {@code timeout}:
     *     changes may be missing.
     */
    public void awaitDelivered(Duration timeout) throws IOException, InterruptedException {
        if (isLost()) {
            throw lostError();
        }
        long token;
        StatefulRedisConnection<byte[], byte[]> out;
        synchronized (barrierLock) {
            if (publisher == null) {
                subscribeBarrier();
                publisher = client.connect(ByteArrayCodec.INSTANCE, uri);
            }
            out = publisher;
            token = ++barriersSent;
        }
        try {
            out.async()
                    .publish(barrierChannel, utf8(Long.toString(token)))
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("Could not publish the barrier of " + description + ": " + e, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (barrierLock) {
            while (barriersSeen < token) {
                long left = deadline - System.nanoTime();
                if (isLost()) {
                    throw lostError();
                }
                if (left <= 0) {
                    throw new IOException(
                            "The subscription to "
                                    + description
                                    + " did not deliver its barrier within "
                                    + timeout
                                    + "; changes may be missing.");
                }
                // Woken by the token's arrival; the slice re-checks the connection.
                barrierLock.wait(Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    private void subscribeBarrier() throws IOException, InterruptedException {
        try {
            connection
                    .async()
                    .subscribe(barrierChannel)
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(
                    "Could not subscribe to the barrier channel of " + description + ": " + e, e);
        }
    }

    private IOException lostError() {
        return new IOException(
                "The subscription to "
                        + description
                        + " was lost; changes made since may be missing.");
    }

    private RedisPubSubAdapter<byte[], byte[]> messages(
            RedisTailMode mode, int database, List<String> keyPatterns, Listener listener) {
        int prefixLength = utf8(keyspacePrefix(database)).length;
        List<byte[]> patterns =
                keyPatterns.stream().map(RedisChangeFeed::utf8).collect(Collectors.toList());
        return new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] event) {
                listener.changed(
                        Arrays.copyOfRange(channel, prefixLength, channel.length),
                        REMOVALS.contains(new String(event, StandardCharsets.UTF_8)));
            }

            @Override
            public void message(byte[] channel, byte[] message) {
                if (Arrays.equals(channel, barrierChannel)) {
                    synchronized (barrierLock) {
                        barriersSeen =
                                Math.max(
                                        barriersSeen,
                                        Long.parseLong(
                                                new String(message, StandardCharsets.US_ASCII)));
                        barrierLock.notifyAll();
                    }
                    return;
                }
                byte[] key = RedisChangeMessages.keyOf(message);
                if (key != null && patterns.stream().anyMatch(p -> RedisGlob.matches(p, key))) {
                    listener.changed(key, true);
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
            synchronized (barrierLock) {
                if (publisher != null) {
                    publisher.close();
                }
            }
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
