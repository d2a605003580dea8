package io.github.redisessync.job.reindex;

import io.github.redisessync.connector.redis.client.RedisChangeFeed;
import io.github.redisessync.connector.redis.client.RedisKeyspaceNotifications;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.mapping.KeyPattern;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * Records which keys change while a reindex runs, from a {@link RedisChangeFeed} opened before its
 * scan starts (keyspace notifications or the application channel), so they can be re-read
 * afterwards.
 *
 * <p>The feed does not reconnect: changes sent while it is down are lost, so a drop is a failure
 * ({@link #awaitBarrier} throws) rather than a silent gap.
 */
final class ChangeRecorder implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RedisChangeFeed feed;
    private final int maxPending;
    private final Object lock = new Object();
    // Guarded by lock.
    private Set<ByteBuffer> dirty = new HashSet<>();
    private boolean overflowed;
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
        int database = EndpointChecks.parseRedisUri(redisUri).getDatabase();
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, redisUri);
        config.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configureNotifications);
        try {
            if (mode == RedisTailMode.KEYSPACE) {
                // The same check (and, when allowed, CONFIG SET) the job's keyspace tail makes.
                RedisKeyspaceNotifications.ensure(config, database);
            }
            this.feed =
                    RedisChangeFeed.open(
                            config,
                            database,
                            mode,
                            patterns.stream().map(KeyPattern::glob).collect(Collectors.toList()),
                            channel,
                            "redis-es-sync-reindex",
                            this::record);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Could not follow the changes of "
                            + patterns
                            + " at "
                            + EndpointChecks.redact(redisUri)
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void record(byte[] key, boolean mayBeRemoved) {
        changes.incrementAndGet();
        if (mayBeRemoved) {
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
    void awaitBarrier() throws IOException, InterruptedException {
        feed.awaitDelivered(TIMEOUT);
        synchronized (lock) {
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

    @Override
    public void close() {
        feed.close();
    }
}
