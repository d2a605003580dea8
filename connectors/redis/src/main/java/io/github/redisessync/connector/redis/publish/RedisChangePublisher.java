package io.github.redisessync.connector.redis.publish;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writer-side helper of the channel and stream tails: writes a hash, deletes or expires a key
 * and publishes the change on the channel, or appends it to the stream, in one atomic Lua call
 * ({@code publish-change.lua}), so no write goes unannounced and no change is announced that did
 * not happen.
 *
 * <pre>{@code
 * RedisChangePublisher publisher = new RedisChangePublisher(connection, "mychannel");
 * // or RedisChangePublisher.toStream(connection, "redis-es-sync:changes", 1_000_000)
 * long version = publisher.hset("user:42", Map.of("name", "Ada", "city", "London"));
 * publisher.pexpire("session:7", 30_000);
 * publisher.del("user:41");
 * }</pre>
 *
 * <p>The message is a JSON change record, {@code {"version":...,"key":...,"op":...,"fields":...}};
 * a stream entry has the fields {@code key}, {@code op} and {@code version}. The version is the
 * server's {@code TIME} in microseconds, the same clock the source versions its reads with. A
 * stream is trimmed to about {@code maxLength} entries as it grows ({@code XADD MAXLEN ~}): size it
 * to hold the changes of the longest time a job may be down, or its restore becomes a rescan.
 * Thread-safe as far as the connection is.
 */
public final class RedisChangePublisher {

    static final String SCRIPT_RESOURCE = "publish-change.lua";

    private final RedisCommands<String, String> redis;
    private final String target;
    private final String name;
    private final String maxLength;
    private final String script;
    private volatile String sha;

    /** Publishes each change on {@code channel}. */
    public RedisChangePublisher(
            StatefulRedisConnection<String, String> connection, String channel) {
        this(connection, "channel", channel, 0);
    }

    private RedisChangePublisher(
            StatefulRedisConnection<String, String> connection,
            String target,
            String name,
            long maxLength) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(
                    "The change " + target + " must be named, was empty.");
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException(
                    "The stream's maximum length must not be negative, was " + maxLength);
        }
        this.redis = connection.sync();
        this.target = target;
        this.name = name;
        this.maxLength = Long.toString(maxLength);
        this.script = loadScript();
    }

    /** Appends each change to {@code stream}, trimmed to about {@code maxLength} (0: never). */
    public static RedisChangePublisher toStream(
            StatefulRedisConnection<String, String> connection, String stream, long maxLength) {
        return new RedisChangePublisher(connection, "stream", stream, maxLength);
    }

    /** HSETs the fields and publishes the change; returns its version. */
    public long hset(String key, Map<String, String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("hset of key " + key + " needs at least one field.");
        }
        List<String> args = new ArrayList<>(4 + 2 * fields.size());
        args.addAll(target("hset"));
        fields.forEach(
                (field, value) -> {
                    args.add(field);
                    args.add(value);
                });
        return run(key, args);
    }

    /**
     * HDELs the fields and publishes the change; returns its version. The source re-reads the key,
     * so the document loses the fields too (and is deleted when the hash is gone).
     */
    public long hdel(String key, String... fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException("hdel of key " + key + " needs at least one field.");
        }
        List<String> args = new ArrayList<>(target("hdel"));
        args.addAll(List.of(fields));
        return run(key, args);
    }

    /** DELs the key and publishes the change; returns its version. */
    public long del(String key) {
        return run(key, target("del"));
    }

    /**
     * PEXPIREs the key and publishes the change; returns its version. The expiry itself is not
     * published by anyone: the source re-reads keys with a TTL when it runs out.
     */
    public long pexpire(String key, long millis) {
        List<String> args = new ArrayList<>(target("pexpire"));
        args.add(Long.toString(millis));
        return run(key, args);
    }

    private List<String> target(String op) {
        return List.of(target, name, maxLength, op);
    }

    private long run(String key, List<String> args) {
        String[] keys = {key};
        String[] values = args.toArray(new String[0]);
        if (sha == null) {
            sha = redis.scriptLoad(script);
        }
        try {
            return redis.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, values);
        } catch (RedisNoScriptException e) {
            // The script cache was flushed: EVAL caches it again.
            return redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, values);
        }
    }

    private static String loadScript() {
        try (InputStream in = RedisChangePublisher.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "The resource " + SCRIPT_RESOURCE + " is missing from the connector jar.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the resource " + SCRIPT_RESOURCE, e);
        }
    }
}
