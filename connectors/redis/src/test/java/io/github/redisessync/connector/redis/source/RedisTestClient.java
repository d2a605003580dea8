package io.github.redisessync.connector.redis.source;

import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A binary-safe Lettuce client on the test run's Redis, for writing and checking test data. */
public final class RedisTestClient implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    public RedisTestClient(int database) {
        RedisURI uri = RedisURI.create(uri());
        uri.setDatabase(database);
        client = RedisClient.create(uri);
        connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    /** The URI of the test run's Redis server. */
    public static String uri() {
        return TestServices.redis().uri();
    }

    /** A key prefix no other test uses, so tests can share a server and a database. */
    public static String uniquePrefix(String test) {
        return TestServices.uniqueName(test) + ":";
    }

    public RedisCommands<byte[], byte[]> sync() {
        return connection.sync();
    }

    /** The server's {@code TIME} in microseconds, the clock versions come from. */
    public long serverTimeMicros() {
        List<byte[]> time = sync().time();
        return Long.parseLong(text(time.get(0))) * 1_000_000L + Long.parseLong(text(time.get(1)));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
