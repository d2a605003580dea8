package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisUris;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * Reads keys as the source reads them: one {@code EVALSHA} of {@code read-key.lua} per key,
 * pipelined, one flush per batch, so a batch costs one round trip however many keys it holds. The
 * source, {@code verify}, the catch-up sweep and {@code reindex} all read through this class, so
 * they agree on values, versions and what is too big.
 *
 * <p>The script makes each read atomic (type, time, TTL and value agree) and stamps it with the
 * server's {@code TIME}, the version. A key that is gone becomes a DELETE record; a value over the
 * read limits is omitted with the reason.
 *
 * <pre>{@code
 * try (RedisKeyReader reader = RedisKeyReader.open(config)) { // uri, read.max-value-*, timeouts
 *     reader.scan("user:*", 1000, keys -> process(reader.read(keys)));
 * }
 * }</pre>
 */
public final class RedisKeyReader implements AutoCloseable {

    private final RedisConnection connection;
    @Nullable private final RedisConnection owned;
    @Nullable private final RedisClusterKeyReader cluster;
    private final int database;
    private final RedisKeyReadScript reads;
    private final byte[] script;
    private final byte[][] limits;
    private String sha;

    /** A reader on a connection the caller owns and closes (the source shares one). */
    public RedisKeyReader(
            RedisConnection connection, int database, int maxValueElements, int maxValueBytes) {
        this(connection, null, database, maxValueElements, maxValueBytes);
    }

    private RedisKeyReader(
            RedisConnection connection,
            @Nullable RedisConnection owned,
            int database,
            int maxValueElements,
            int maxValueBytes) {
        this.connection = connection;
        this.owned = owned;
        this.cluster = null;
        this.database = database;
        this.reads = new RedisKeyReadScript(maxValueElements, maxValueBytes);
        this.script = RedisKeyReadScript.source();
        this.limits = reads.arguments();
    }

    private RedisKeyReader(RedisClusterKeyReader cluster) {
        this.connection = null;
        this.owned = null;
        this.cluster = cluster;
        this.database = 0;
        this.reads = null;
        this.script = null;
        this.limits = null;
    }

    /**
     * Connects with the source's settings: {@code uri} (credentials already resolved), {@code
     * database} (else the URI's), the read limits {@code read.max-value-elements} and {@code
     * read.max-value-bytes}, the connect and command timeouts, and {@code
     * cluster.failover-timeout}. The reader owns its connections.
     *
     * <p>When the URI's server is a node of a Redis Cluster, the reader reads and checks each key
     * on the primary that serves its slot, scans every primary, and follows moved slots and
     * failovers (see {@link RedisClusterKeyReader}); otherwise it talks to the one server.
     */
    public static RedisKeyReader open(ReadableConfig config) throws IOException {
        int database =
                config.getOptional(RedisSourceOptions.DATABASE)
                        .orElseGet(
                                () ->
                                        RedisUris.parse(config.get(RedisSourceOptions.URI))
                                                .getDatabase());
        int maxValueElements = config.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS);
        int maxValueBytes = config.get(RedisSourceOptions.READ_MAX_VALUE_BYTES);
        RedisTopology topology = RedisTopology.discover(config);
        if (topology.isCluster()) {
            return new RedisKeyReader(
                    new RedisClusterKeyReader(
                            config, topology, database, maxValueElements, maxValueBytes));
        }
        return openNode(config, null, database, maxValueElements, maxValueBytes);
    }

    /** A reader that owns a connection to {@code node} ({@code host:port}; null: the URI's). */
    static RedisKeyReader openNode(
            ReadableConfig config,
            @Nullable String node,
            int database,
            int maxValueElements,
            int maxValueBytes)
            throws IOException {
        RedisConnection connection = RedisConnection.open(config, node, database);
        return new RedisKeyReader(
                connection, connection, database, maxValueElements, maxValueBytes);
    }

    /** {@code scheme://host:port/database}, for logs and errors. */
    public String description() {
        return cluster != null ? cluster.description() : connection.description();
    }

    /**
     * Hands the keys matching {@code glob} to {@code batches}, one SCAN page ({@code count} as its
     * hint) at a time; a key may come twice, as SCAN promises no more.
     */
    public void scan(String glob, int count, ThrowingConsumer<List<byte[]>, IOException> batches)
            throws IOException {
        if (cluster != null) {
            cluster.scan(glob, count, batches);
            return;
        }
        ScanArgs args =
                ScanArgs.Builder.matches(glob.getBytes(StandardCharsets.UTF_8)).limit(count);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page =
                    connection.call(
                            connection.async().scan(cursor, args),
                            "SCAN " + cursor.getCursor() + " MATCH " + glob);
            if (!page.getKeys().isEmpty()) {
                batches.accept(page.getKeys());
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /**
     * Whether each key exists, with the server's {@code TIME} read before the checks in the same
     * pipeline: a key created later than that time is not seen as missing by a write versioned with
     * it.
     */
    public Existence exists(List<byte[]> keys) throws IOException {
        if (cluster != null) {
            return cluster.exists(keys);
        }
        RedisFuture<List<byte[]>> time = connection.async().time();
        List<RedisFuture<Long>> replies = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            replies.add(connection.async().exists(key));
        }
        connection.flush();
        long deadline = System.nanoTime() + connection.commandTimeout().toNanos();
        List<byte[]> now = await(time, deadline);
        long micros =
                Long.parseLong(new String(now.get(0), StandardCharsets.US_ASCII)) * 1_000_000L
                        + Long.parseLong(new String(now.get(1), StandardCharsets.US_ASCII));
        boolean[] exists = new boolean[keys.size()];
        for (int i = 0; i < exists.length; i++) {
            exists[i] = await(replies.get(i), deadline) > 0;
        }
        return new Existence(micros, exists);
    }

    /** The server's {@code TIME} in µs, the clock of every version. */
    public long serverTimeMicros() throws IOException {
        if (cluster != null) {
            return cluster.serverTimeMicros();
        }
        return exists(List.of()).timeMicros();
    }

    /** Reads the keys, in order, with the pipeline flushed once. */
    public List<RedisRecord> read(List<byte[]> keys) throws IOException {
        return read(keys, null);
    }

    /**
     * Reads the keys, in order, with the pipeline flushed once; a key whose read a Redis Cluster
     * node redirected ({@code MOVED}, {@code ASK}: its slot is served, or being migrated, by
     * another node) goes to {@code redirected} and has no record, instead of failing the batch. A
     * reader {@link #open opened} on a cluster node reads each key where its slot is served and
     * follows redirections itself, so nothing goes to {@code redirected}.
     */
    public List<RedisRecord> read(List<byte[]> keys, @Nullable List<byte[]> redirected)
            throws IOException {
        if (cluster != null) {
            return cluster.read(keys);
        }
        if (keys.isEmpty()) {
            return List.of();
        }
        if (sha == null) {
            sha = connection.call(connection.async().scriptLoad(script), "SCRIPT LOAD");
        }
        List<RedisFuture<List<Object>>> replies = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            replies.add(
                    connection
                            .async()
                            .evalsha(sha, ScriptOutputType.MULTI, new byte[][] {key}, limits));
        }
        connection.flush();
        List<RedisRecord> records = new ArrayList<>(keys.size());
        List<Integer> retry = new ArrayList<>();
        long deadline = System.nanoTime() + connection.commandTimeout().toNanos();
        for (int i = 0; i < keys.size(); i++) {
            try {
                records.add(decode(keys.get(i), await(replies.get(i), deadline)));
            } catch (RedisNoScriptException e) {
                // The script cache was flushed or the server restarted: EVAL caches it again.
                records.add(null);
                retry.add(i);
            } catch (IOException e) {
                if (redirected == null || !isRedirect(e.getCause())) {
                    throw e;
                }
                records.add(null);
                redirected.add(keys.get(i));
            }
        }
        if (!retry.isEmpty()) {
            evalAndFill(keys, retry, records);
        }
        if (redirected != null && !redirected.isEmpty()) {
            records.removeIf(java.util.Objects::isNull);
        }
        return records;
    }

    /** Whether {@code error} is a Redis Cluster redirection: MOVED or ASK. */
    static boolean isRedirect(Throwable error) {
        String message = error == null ? null : error.getMessage();
        return message != null && (message.startsWith("MOVED ") || message.startsWith("ASK "));
    }

    private void evalAndFill(List<byte[]> keys, List<Integer> indexes, List<RedisRecord> records)
            throws IOException {
        List<RedisFuture<List<Object>>> replies = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            replies.add(
                    connection
                            .async()
                            .eval(
                                    script,
                                    ScriptOutputType.MULTI,
                                    new byte[][] {keys.get(i)},
                                    limits));
        }
        connection.flush();
        long deadline = System.nanoTime() + connection.commandTimeout().toNanos();
        for (int j = 0; j < indexes.size(); j++) {
            int i = indexes.get(j);
            records.set(i, decode(keys.get(i), await(replies.get(j), deadline)));
        }
    }

    private RedisRecord decode(byte[] key, List<Object> reply) throws IOException {
        try {
            return reads.decode(key, reply, database);
        } catch (RuntimeException e) {
            throw new IOException(
                    "Could not decode the read of key "
                            + RedisRecord.printableKey(key)
                            + " on "
                            + connection.description(),
                    e);
        }
    }

    private <T> T await(RedisFuture<T> future, long deadlineNanos) throws IOException {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException) {
                throw (RedisNoScriptException) e.getCause();
            }
            throw new IOException(
                    "Reading keys failed on "
                            + connection.description()
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(
                    "A batch of key reads got no reply from "
                            + connection.description()
                            + " within "
                            + connection.commandTimeout(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Reading keys was interrupted", e);
        }
    }

    /** Closes the connections if {@link #open} made them; a shared one stays open. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        if (owned != null) {
            owned.close();
        }
    }

    /** Existence of a batch of keys, and the server time read before it. */
    public static final class Existence {
        private final long timeMicros;
        private final boolean[] exists;

        Existence(long timeMicros, boolean[] exists) {
            this.timeMicros = timeMicros;
            this.exists = exists;
        }

        /** The server's {@code TIME} in µs, read before the checks. */
        public long timeMicros() {
            return timeMicros;
        }

        /** Whether the {@code i}th key of the batch existed. */
        public boolean exists(int i) {
            return exists[i];
        }
    }
}
