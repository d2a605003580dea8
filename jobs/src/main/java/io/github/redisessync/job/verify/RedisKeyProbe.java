package io.github.redisessync.job.verify;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.reader.RedisKeyReadScript;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.RedisSecrets;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Redis as {@code verify} reads it: SCAN in batches, each key read atomically with the server time
 * (so repairs are versioned like the job's writes), and existence checks; all pipelined.
 */
public final class RedisKeyProbe implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final int database;
    private final String scriptSha;
    // The job's source reads no bigger value (its record is a dead letter); verify reads alike.
    private RedisKeyReadScript reads =
            new RedisKeyReadScript(
                    RedisSourceOptions.READ_MAX_VALUE_ELEMENTS.defaultValue(),
                    RedisSourceOptions.READ_MAX_VALUE_BYTES.defaultValue());

    public RedisKeyProbe(String uri) {
        RedisURI redisUri = EndpointChecks.parseRedisUri(uri);
        this.database = redisUri.getDatabase();
        this.client = RedisClients.create(RedisSecrets.resolve(uri, System.getenv()));
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.scriptSha = connection.sync().scriptLoad(RedisKeyReadScript.source());
    }

    /** Reads values up to the job source's limits, so oversized ones count as dead letters. */
    public RedisKeyProbe withReadLimits(int maxValueElements, int maxValueBytes) {
        this.reads = new RedisKeyReadScript(maxValueElements, maxValueBytes);
        return this;
    }

    /** Hands the keys matching {@code glob} to {@code batches}, about {@code count} at a time. */
    void scan(String glob, int count, Consumer<List<byte[]>> batches) {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        ScanArgs args =
                ScanArgs.Builder.matches(glob.getBytes(StandardCharsets.UTF_8)).limit(count);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            var page = redis.scan(cursor, args);
            if (!page.getKeys().isEmpty()) {
                batches.accept(page.getKeys());
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Reads each key as the job's source would see it: type and value, or a delete if gone. */
    public List<RedisRecord> read(List<byte[]> keys) {
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        List<RedisFuture<List<Object>>> replies = new ArrayList<>(keys.size());
        connection.setAutoFlushCommands(false);
        try {
            for (byte[] key : keys) {
                replies.add(
                        redis.evalsha(
                                scriptSha,
                                ScriptOutputType.MULTI,
                                new byte[][] {key},
                                reads.arguments()));
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        await(replies);
        List<RedisRecord> records = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            records.add(reads.decode(keys.get(i), result(replies.get(i)), database));
        }
        return records;
    }

    /** For each key whether it exists, after the returned server time (µs) was read. */
    public ExistenceCheck exists(List<String> keys) {
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        connection.setAutoFlushCommands(false);
        RedisFuture<List<byte[]>> time;
        List<RedisFuture<Long>> replies = new ArrayList<>(keys.size());
        try {
            time = redis.time();
            for (String key : keys) {
                replies.add(redis.exists(key.getBytes(StandardCharsets.UTF_8)));
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        List<RedisFuture<?>> all = new ArrayList<>(replies);
        all.add(time);
        await(all);
        List<byte[]> now = result(time);
        long micros =
                Long.parseLong(new String(now.get(0), StandardCharsets.US_ASCII)) * 1_000_000L
                        + Long.parseLong(new String(now.get(1), StandardCharsets.US_ASCII));
        boolean[] exists = new boolean[keys.size()];
        for (int i = 0; i < exists.length; i++) {
            exists[i] = result(replies.get(i)) > 0;
        }
        return new ExistenceCheck(micros, exists);
    }

    /** The server's {@code TIME} in µs, the clock of every version. */
    public long serverTimeMicros() {
        return exists(List.of()).timeMicros;
    }

    /** Existence of a batch of keys, and the server time read before it. */
    public static final class ExistenceCheck {
        final long timeMicros;
        final boolean[] exists;

        ExistenceCheck(long timeMicros, boolean[] exists) {
            this.timeMicros = timeMicros;
            this.exists = exists;
        }
    }

    private static void await(List<? extends RedisFuture<?>> futures) {
        if (!LettuceFutures.awaitAll(
                TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, futures.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not answer within " + TIMEOUT);
        }
        for (RedisFuture<?> future : futures) {
            if (future.getError() != null) {
                throw new IllegalStateException("Redis refused a read: " + future.getError());
            }
        }
    }

    /** The value of a future {@link #await} has seen complete. */
    private static <T> T result(RedisFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading Redis", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis refused a read: " + e.getCause(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
