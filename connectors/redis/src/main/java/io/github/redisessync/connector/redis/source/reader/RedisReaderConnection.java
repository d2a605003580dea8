package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The one command connection of a split reader, with the key reader on it. Its scan and tail
 * readers share it; it is opened on the database of the split about to be read and reopened only
 * when a split needs another one. Used by the fetcher thread only.
 */
final class RedisReaderConnection implements AutoCloseable {

    private final ReadableConfig config;
    private RedisConnection connection;
    private int database = -1;
    private RedisKeyReader keyReader;

    RedisReaderConnection(ReadableConfig config) {
        this.config = config;
    }

    /** Opens the connection on {@code database}, closing one open on another database first. */
    void ensure(int database) throws IOException {
        if (database != this.database) {
            close();
            connection = RedisConnection.open(config, database);
            this.database = database;
            keyReader =
                    new RedisKeyReader(
                            connection,
                            database,
                            config.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS),
                            config.get(RedisSourceOptions.READ_MAX_VALUE_BYTES));
        }
    }

    /** The connection last ensured, whichever split it was opened for. */
    RedisConnection connection() {
        return connection;
    }

    /** The key reader on {@link #connection()}. */
    RedisKeyReader keyReader() {
        return keyReader;
    }

    /** The server's {@code TIME} in µs, the clock of every version. */
    long serverTimeMicros() throws IOException {
        List<byte[]> time = connection.call(connection.async().time(), "TIME");
        long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII));
        long micros = Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
        return seconds * 1_000_000L + micros;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
            keyReader = null;
            database = -1;
        }
    }
}
