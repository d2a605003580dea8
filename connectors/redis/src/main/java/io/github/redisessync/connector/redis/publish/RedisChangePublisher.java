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
 * The writer-side helper of the channel tail: writes a hash, deletes or expires a key and publishes
 * the change on the channel in one atomic Lua call ({@code publish-change.lua}), so no write goes
 * unpublished and no message announces a write that did not happen.
 *
 * <pre>{@code
 * RedisChangePublisher publisher = new RedisChangePublisher(connection, "mychannel");
 * long version = publisher.hset("user:42", Map.of("name", "Ada", "city", "London"));
 * publisher.pexpire("session:7", 30_000);
 * publisher.del("user:41");
 * }</pre>
 *
 * <p>The message is a JSON change record, {@code {"version":...,"key":...,"op":...,"fields":...}},
 * its version the server's {@code TIME} in microseconds, the same clock the source versions its
 * reads with. Thread-safe as far as the connection is.
 */
public final class RedisChangePublisher {

    static final String SCRIPT_RESOURCE = "publish-change.lua";

    private final RedisCommands<String, String> redis;
    private final String channel;
    private final String script;
    private volatile String sha;

    public RedisChangePublisher(
            StatefulRedisConnection<String, String> connection, String channel) {
        if (channel == null || channel.isEmpty()) {
            throw new IllegalArgumentException("The change channel must be named, was empty.");
        }
        this.redis = connection.sync();
        this.channel = channel;
        this.script = loadScript();
    }

    /** HSETs the fields and publishes the change; returns its version. */
    public long hset(String key, Map<String, String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("hset of key " + key + " needs at least one field.");
        }
        List<String> args = new ArrayList<>(2 + 2 * fields.size());
        args.add(channel);
        args.add("hset");
        fields.forEach(
                (field, value) -> {
                    args.add(field);
                    args.add(value);
                });
        return run(key, args);
    }

    /** DELs the key and publishes the change; returns its version. */
    public long del(String key) {
        return run(key, List.of(channel, "del"));
    }

    /**
     * PEXPIREs the key and publishes the change; returns its version. The expiry itself is not
     * published by anyone: the source re-reads keys with a TTL when it runs out.
     */
    public long pexpire(String key, long millis) {
        return run(key, List.of(channel, "pexpire", Long.toString(millis)));
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
