package io.github.redisessync.job.reindex;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.reader.RedisKeyspaceNotifications;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.RedisSecrets;
import io.github.redisessync.job.mapping.KeyPattern;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;

/**
 * Records which keys change while a reindex runs, from a subscription made before its scan starts
 * (keyspace notifications or the application channel), so they can be re-read afterwards.
 *
 * <p>{@link #awaitBarrier} publishes a token on a private channel of the same subscription and
 * waits for it to come back: Redis writes a subscriber's messages in the order it generates them,
 * so once the token is back, the change of every command that ran before the PUBLISH is recorded.
 * The connection does not reconnect: messages sent while it is down are lost, so a drop is a
 * failure ({@link #awaitBarrier} throws) rather than a silent gap.
 */
final class ChangeRecorder implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> REMOVALS = Set.of("del", "expired", "evicted", "rename_from");

    private final RedisClient client;
    private final StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private final StatefulRedisConnection<byte[], byte[]> publisher;
    private final byte[] barrierChannel;
    private final int maxPending;
    private final Object lock = new Object();
    // Guarded by lock.
    private Set<ByteBuffer> dirty = new HashSet<>();
    private boolean overflowed;
    private long lastBarrierSeen;
    private final AtomicLong barriers = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong removals = new AtomicLong();

    /** Subscribes before returning: every change from now on is recorded. */
    ChangeRecorder(
            String redisUri,
            RedisTailMode mode,
            String channel,
            List<KeyPattern> patterns,
            boolean configureNotifications,
            int maxPending) {
        if (mode == RedisTailMode.NONE) {
            throw new IllegalArgumentException(
                    "reindex needs --tail keyspace or channel to catch the changes made while it"
                            + " runs; --tail none would let them go missing.");
        }
        this.maxPending = maxPending;
        if (mode == RedisTailMode.KEYSPACE) {
            checkNotifications(redisUri, configureNotifications);
        }
        RedisURI uri = EndpointChecks.parseRedisUri(redisUri);
        this.client =
                RedisClients.create(
                        RedisSecrets.resolve(redisUri, System.getenv()),
                        ClientOptions.builder().autoReconnect(false));
        this.barrierChannel = utf8("redis-es-sync:reindex-barrier:" + UUID.randomUUID().toString());
        this.subscription = client.connectPubSub(ByteArrayCodec.INSTANCE);
        this.publisher = client.connect(ByteArrayCodec.INSTANCE);
        String prefix = "__keyspace@" + uri.getDatabase() + "__:";
        byte[] prefixBytes = utf8(prefix);
        subscription.addListener(
                new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] pattern, byte[] fullChannel, byte[] event) {
                        byte[] key = new byte[fullChannel.length - prefixBytes.length];
                        System.arraycopy(fullChannel, prefixBytes.length, key, 0, key.length);
                        record(key, REMOVALS.contains(text(event)));
                    }

                    @Override
                    public void message(byte[] from, byte[] message) {
                        if (Arrays.equals(from, barrierChannel)) {
                            synchronized (lock) {
                                lastBarrierSeen =
                                        Math.max(lastBarrierSeen, Long.parseLong(text(message)));
                                lock.notifyAll();
                            }
                            return;
                        }
                        String key = keyOf(text(message));
                        if (key != null && patterns.stream().anyMatch(p -> p.matches(key))) {
                            // A channel message does not say whether the key was removed.
                            record(utf8(key), true);
                        }
                    }
                });
        try {
            subscription
                    .async()
                    .subscribe(barrierChannel)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (mode == RedisTailMode.KEYSPACE) {
                byte[][] channels =
                        patterns.stream().map(p -> utf8(prefix + p.glob())).toArray(byte[][]::new);
                subscription
                        .async()
                        .psubscribe(channels)
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                subscription
                        .async()
                        .subscribe(utf8(channel))
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "Could not subscribe to the changes of "
                            + patterns
                            + " on "
                            + EndpointChecks.redact(redisUri)
                            + ": "
                            + e,
                    e);
        }
    }

    /** The same check (and, when allowed, CONFIG SET) the job's keyspace tail makes. */
    private static void checkNotifications(String redisUri, boolean configure) {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, redisUri);
        config.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configure);
        try {
            RedisKeyspaceNotifications.ensure(
                    config, EndpointChecks.parseRedisUri(redisUri).getDatabase());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot read notify-keyspace-events at "
                            + EndpointChecks.redact(redisUri)
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void record(byte[] key, boolean removal) {
        changes.incrementAndGet();
        if (removal) {
            removals.incrementAndGet();
        }
        synchronized (lock) {
            if (dirty.size() < maxPending) {
                dirty.add(ByteBuffer.wrap(key));
            } else if (!dirty.contains(ByteBuffer.wrap(key))) {
                overflowed = true;
            }
        }
    }

    /**
     * Waits until every change made before this call is recorded; fails when the subscription was
     * lost or more than the allowed number of distinct keys are pending.
     */
    void awaitBarrier() throws InterruptedException {
        if (!subscription.isOpen()) {
            throw new IllegalStateException(
                    "The subscription to Redis changes was lost; changes made since may be"
                            + " missing.");
        }
        long token = barriers.incrementAndGet();
        publisher.sync().publish(barrierChannel, utf8(Long.toString(token)));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (lock) {
            while (lastBarrierSeen < token) {
                long left = deadline - System.nanoTime();
                if (!subscription.isOpen() || left <= 0) {
                    throw new IllegalStateException(
                            "The subscription to Redis changes did not deliver its barrier within "
                                    + TIMEOUT
                                    + "; changes may be missing.");
                }
                // Woken by the token's arrival; the slice re-checks the connection.
                lock.wait(Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(left))));
            }
            if (overflowed) {
                throw new IllegalStateException(
                        "More than "
                                + maxPending
                                + " distinct keys changed while reindexing"
                                + " (--max-pending-changes); they cannot all be re-read.");
            }
        }
    }

    /** The keys recorded since the last call, and a fresh empty record. */
    List<byte[]> takeDirty() {
        Set<ByteBuffer> taken;
        synchronized (lock) {
            taken = dirty;
            dirty = new HashSet<>();
        }
        List<byte[]> keys = new ArrayList<>(taken.size());
        taken.forEach(buffer -> keys.add(buffer.array()));
        return keys;
    }

    /** Changes received so far (one per notification or message). */
    long changes() {
        return changes.get();
    }

    /**
     * Changes that may have removed a key (deletes, expiries, evictions; every channel message).
     */
    long removals() {
        return removals.get();
    }

    /** The key a channel message names: the raw key, or the {@code key} of a JSON change record. */
    static String keyOf(String message) {
        if (message.startsWith("{") && message.endsWith("}")) {
            try {
                JsonNode key = ElasticsearchAliases.JSON.readTree(message).get("key");
                if (key != null && key.isTextual() && !key.asText().isEmpty()) {
                    return key.asText();
                }
            } catch (IOException notJson) {
                // A key that merely looks like JSON, e.g. a hash tag.
            }
        }
        return message.isEmpty() ? null : message;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
