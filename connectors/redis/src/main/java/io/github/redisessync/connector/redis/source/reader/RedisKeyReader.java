package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the current value of keys: one {@code EVALSHA} of {@code read-key.lua} per key, pipelined,
 * one flush per batch, so a batch costs one round trip however many keys it holds.
 *
 * <p>The script makes each read atomic (type, time, TTL and value agree) and stamps it with the
 * server's {@code TIME}, the version. A key that is gone becomes a DELETE record.
 */
final class RedisKeyReader {

    private final RedisConnection connection;
    private final int database;
    private final RedisKeyReadScript reads;
    private final byte[] script;
    private final byte[][] limits;
    private String sha;

    RedisKeyReader(
            RedisConnection connection, int database, int maxValueElements, int maxValueBytes) {
        this.connection = connection;
        this.database = database;
        this.reads = new RedisKeyReadScript(maxValueElements, maxValueBytes);
        this.script = RedisKeyReadScript.source();
        this.limits = reads.arguments();
    }

    /** Reads the keys, in order, with the pipeline flushed once. */
    List<RedisRecord> read(List<byte[]> keys) throws IOException {
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
            }
        }
        if (!retry.isEmpty()) {
            evalAndFill(keys, retry, records);
        }
        return records;
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
}
