package io.github.redisessync.connector.redis.source;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Builds a {@link RedisSource}. Each setter checks its value, and {@link #build()} checks them all
 * again, so a bad setting fails where it is made, with a message naming it.
 */
public class RedisSourceBuilder {

    /** More than this many keys per flush gains nothing and makes one reply very large. */
    static final int MAX_READ_BATCH_SIZE = 10_000;

    private final Configuration config = new Configuration();

    RedisSourceBuilder() {}

    /**
     * The server, {@code redis://[user:password@]host:port[/database]} ({@code rediss://} for TLS).
     */
    public RedisSourceBuilder setRedisUri(String uri) {
        RedisUris.parse(uri);
        config.set(RedisSourceOptions.URI, uri);
        return this;
    }

    /** The glob patterns of the keys to read (SCAN MATCH); each is one pass of SCAN. */
    public RedisSourceBuilder setKeyPatterns(List<String> keyPatterns) {
        checkPatterns(keyPatterns);
        config.set(RedisSourceOptions.SCAN_KEY_PATTERNS, List.copyOf(keyPatterns));
        return this;
    }

    /** The database to read; by default the one in the URI. */
    public RedisSourceBuilder setDatabase(int database) {
        checkNotNegative(RedisSourceOptions.DATABASE, database);
        config.set(RedisSourceOptions.DATABASE, database);
        return this;
    }

    /** The COUNT hint of each SCAN call. */
    public RedisSourceBuilder setScanCount(int scanCount) {
        checkPositive(RedisSourceOptions.SCAN_COUNT, scanCount);
        config.set(RedisSourceOptions.SCAN_COUNT, scanCount);
        return this;
    }

    /** Keys whose values are read in one pipelined flush. */
    public RedisSourceBuilder setReadBatchSize(int readBatchSize) {
        checkReadBatchSize(readBatchSize);
        config.set(RedisSourceOptions.READ_BATCH_SIZE, readBatchSize);
        return this;
    }

    /** Caps the keys per second the scans read from each node; 0 (the default) sets no cap. */
    public RedisSourceBuilder setScanMaxKeysPerSecond(int keysPerSecond) {
        if (keysPerSecond < 0) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND.key()
                            + " must not be negative, was "
                            + keysPerSecond
                            + ".");
        }
        config.set(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND, keysPerSecond);
        return this;
    }

    /** Collections with more elements are emitted with their value omitted. */
    public RedisSourceBuilder setMaxValueElements(int maxValueElements) {
        checkPositive(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS, maxValueElements);
        config.set(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS, maxValueElements);
        return this;
    }

    /** Values of more bytes than this (see the option) are emitted with their value omitted. */
    public RedisSourceBuilder setMaxValueBytes(int maxValueBytes) {
        checkPositive(RedisSourceOptions.READ_MAX_VALUE_BYTES, maxValueBytes);
        config.set(RedisSourceOptions.READ_MAX_VALUE_BYTES, maxValueBytes);
        return this;
    }

    /** How long to wait for a TCP connection (5 s by default). */
    public RedisSourceBuilder setConnectTimeout(Duration connectTimeout) {
        checkPositive(RedisSourceOptions.CONNECT_TIMEOUT, connectTimeout);
        config.set(RedisSourceOptions.CONNECT_TIMEOUT, connectTimeout);
        return this;
    }

    /** How long to wait for a command or a pipelined batch (60 s by default). */
    public RedisSourceBuilder setCommandTimeout(Duration commandTimeout) {
        checkPositive(RedisSourceOptions.COMMAND_TIMEOUT, commandTimeout);
        config.set(RedisSourceOptions.COMMAND_TIMEOUT, commandTimeout);
        return this;
    }

    /**
     * Follows changes after the snapshot: keyspace notifications, an application channel or a
     * stream. The subscription opens (or the stream's last entry is taken) before the scan starts,
     * so no change between the two is lost.
     */
    public RedisSourceBuilder setTailMode(RedisTailMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.TAIL_MODE.key()
                            + " must be NONE, KEYSPACE, CHANNEL or STREAM.");
        }
        config.set(RedisSourceOptions.TAIL_MODE, mode);
        return this;
    }

    /** The channel writers publish changes on, for {@link RedisTailMode#CHANNEL}. */
    public RedisSourceBuilder setTailChannel(String channel) {
        checkChannel(channel);
        config.set(RedisSourceOptions.TAIL_CHANNEL, channel);
        return this;
    }

    /** The stream writers append their changes to, for {@link RedisTailMode#STREAM}. */
    public RedisSourceBuilder setTailStream(String stream) {
        if (stream == null || stream.isEmpty()) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.TAIL_STREAM.key() + " must name a stream, was empty.");
        }
        config.set(RedisSourceOptions.TAIL_STREAM, stream);
        return this;
    }

    /** The most distinct changed keys waiting to be re-read; more is a gap. */
    public RedisSourceBuilder setTailBufferSize(int bufferSize) {
        checkPositive(RedisSourceOptions.TAIL_BUFFER_SIZE, bufferSize);
        config.set(RedisSourceOptions.TAIL_BUFFER_SIZE, bufferSize);
        return this;
    }

    /** Lets the source add missing notify-keyspace-events flags with CONFIG SET. */
    public RedisSourceBuilder setConfigureNotifications(boolean configure) {
        config.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configure);
        return this;
    }

    /** Makes a tailing source finish once the scan is done and no change is pending. */
    public RedisSourceBuilder setStopWhenIdle(boolean stopWhenIdle) {
        config.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
        return this;
    }

    /** Checks every setting again and builds the source. */
    public RedisSource build() {
        if (!config.contains(RedisSourceOptions.URI)) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.URI.key() + " must be set; call setRedisUri(...).");
        }
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        Configuration built = new Configuration(config);
        if (!built.contains(RedisSourceOptions.DATABASE)) {
            built.set(RedisSourceOptions.DATABASE, uri.getDatabase());
        }
        checkNotNegative(RedisSourceOptions.DATABASE, built.get(RedisSourceOptions.DATABASE));
        checkPatterns(built.get(RedisSourceOptions.SCAN_KEY_PATTERNS));
        checkPositive(RedisSourceOptions.SCAN_COUNT, built.get(RedisSourceOptions.SCAN_COUNT));
        checkReadBatchSize(built.get(RedisSourceOptions.READ_BATCH_SIZE));
        checkPositive(
                RedisSourceOptions.READ_MAX_VALUE_ELEMENTS,
                built.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS));
        checkPositive(
                RedisSourceOptions.READ_MAX_VALUE_BYTES,
                built.get(RedisSourceOptions.READ_MAX_VALUE_BYTES));
        checkPositive(
                RedisSourceOptions.CONNECT_TIMEOUT, built.get(RedisSourceOptions.CONNECT_TIMEOUT));
        checkPositive(
                RedisSourceOptions.COMMAND_TIMEOUT, built.get(RedisSourceOptions.COMMAND_TIMEOUT));
        checkPositive(
                RedisSourceOptions.TAIL_BUFFER_SIZE,
                built.get(RedisSourceOptions.TAIL_BUFFER_SIZE));
        if (built.get(RedisSourceOptions.TAIL_MODE) == RedisTailMode.CHANNEL) {
            checkChannel(built.get(RedisSourceOptions.TAIL_CHANNEL));
        }
        return new RedisSource(built);
    }

    private static void checkChannel(String channel) {
        if (channel == null || channel.isEmpty()) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.TAIL_CHANNEL.key() + " must name a channel, was empty.");
        }
    }

    private static void checkPatterns(List<String> patterns) {
        String key = RedisSourceOptions.SCAN_KEY_PATTERNS.key();
        if (patterns == null || patterns.isEmpty()) {
            throw new IllegalArgumentException(key + " must name at least one pattern, was empty.");
        }
        for (String pattern : patterns) {
            if (pattern == null || pattern.isEmpty()) {
                throw new IllegalArgumentException(
                        key + " must not contain an empty pattern, was " + patterns + ".");
            }
        }
    }

    private static void checkReadBatchSize(int readBatchSize) {
        checkPositive(RedisSourceOptions.READ_BATCH_SIZE, readBatchSize);
        if (readBatchSize > MAX_READ_BATCH_SIZE) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.READ_BATCH_SIZE.key()
                            + " must be at most "
                            + MAX_READ_BATCH_SIZE
                            + ", was "
                            + readBatchSize
                            + ".");
        }
    }

    private static void checkPositive(ConfigOption<?> option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(
                    option.key() + " must be positive, was " + value + ".");
        }
    }

    private static void checkPositive(ConfigOption<Duration> option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    option.key() + " must be a positive duration, was " + value + ".");
        }
    }

    private static void checkNotNegative(ConfigOption<?> option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(
                    option.key() + " must not be negative, was " + value + ".");
        }
    }
}
