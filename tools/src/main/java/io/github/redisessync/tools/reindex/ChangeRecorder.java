package io.github.redisessync.tools.reindex;

import io.github.redisessync.connector.redis.client.RedisChangeFeed;
import io.github.redisessync.connector.redis.client.RedisChangeStream;
import io.github.redisessync.connector.redis.client.RedisConnection;
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
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;

/**
 * Records which keys change while a reindex runs, so they can be re-read afterwards: from a {@link
 * RedisChangeFeed} opened before its scan starts (keyspace notifications or the application
 * channel), or from the change stream's entries after its last one before the scan.
 *
 * <p>A lost feed or stream entries removed before they were read are failures ({@link
 * #awaitBarrier} throws), never a silent gap: the feed does not reconnect.
 */
final class ChangeRecorder implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Nullable private final RedisChangeFeed feed;
    // Instead of the feed for --tail stream: the stream's entries after the scan started.
    @Nullable private final RedisConnection streamConnection;
    @Nullable private final RedisChangeStream stream;
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
            String streamName,
            List<KeyPattern> patterns,
            boolean configureNotifications,
            int maxPending) {
        if (mode == RedisTailMode.NONE) {
            throw new IllegalArgumentException(
                    "reindex needs --tail keyspace, channel or stream to catch the changes made"
                            + " while it runs; --tail none would let them go missing.");
        }
        this.maxPending = maxPending;
        int database = EndpointChecks.parseRedisUri(redisUri).getDatabase();
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, redisUri);
        config.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configureNotifications);
        List<String> globs = patterns.stream().map(KeyPattern::glob).collect(Collectors.toList());
        RedisConnection opened = null;
        try {
            if (mode == RedisTailMode.STREAM) {
                opened = RedisConnection.open(config, database);
                this.stream = RedisChangeStream.open(opened, streamName, globs, "");
                this.streamConnection = opened;
                this.feed = null;
                return;
            }
            if (mode == RedisTailMode.KEYSPACE) {
                // The same check (and, when allowed, CONFIG SET) the job's keyspace tail makes.
                RedisKeyspaceNotifications.ensure(config, database);
            }
            this.feed =
                    RedisChangeFeed.open(
                            config,
                            database,
                            mode,
                            globs,
                            channel,
                            "redis-es-sync-reindex",
                            this::record);
            this.stream = null;
            this.streamConnection = null;
        } catch (IOException e) {
            if (opened != null) {
                opened.close();
            }
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
        if (feed != null) {
            feed.awaitDelivered(TIMEOUT);
        } else {
            readStream();
        }
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

    /** Records the keys of every entry added so far: the stream is its own barrier. */
    private void readStream() throws IOException {
        RedisChangeStream.Batch batch;
        do {
            batch = stream.read(streamConnection, 1_000, 0);
            if (batch.gap() != null) {
                throw new IllegalStateException(
                        "Changes made while reindexing may be missing: "
                                + batch.gap()
                                + " (the stream was trimmed before reindex read it; keep it"
                                + " longer).");
            }
            // An entry's op is not trusted (the key is re-read), so each may be a removal.
            batch.keys().forEach(key -> record(key, true));
        } while (batch.entries() > 0);
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

    /** Changes received so far (one per notification, message, or key of a stream batch). */
    long changes() {
        return changes.get();
    }

    /**
     * Changes that may have removed a key (deletes, expiries, evictions; every channel message and
     * stream entry).
     */
    long removals() {
        return removals.get();
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        if (streamConnection != null) {
            streamConnection.close();
        }
    }
}
