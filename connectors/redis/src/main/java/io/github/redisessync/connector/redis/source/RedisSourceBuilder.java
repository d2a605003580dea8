package io.github.redisessync.connector.redis.source;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Builds a {@link RedisSource}, and is the one place its {@link RedisSourceOptions} are checked.
 * Each setter checks its value, {@link #setConfiguration} checks every option a configuration
 * holds, and {@link #build()} checks them all again, so a bad setting fails where it is made, with
 * a message naming it. {@link #problems} tells a front end every problem of a configuration at
 * once.
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
        checkUri(uri);
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
        checkNotNegative(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND, keysPerSecond);
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

    /** On a Redis Cluster, how often each reader asks for the topology (5 s by default). */
    public RedisSourceBuilder setClusterTopologyRefresh(Duration interval) {
        checkPositive(RedisSourceOptions.CLUSTER_TOPOLOGY_REFRESH, interval);
        config.set(RedisSourceOptions.CLUSTER_TOPOLOGY_REFRESH, interval);
        return this;
    }

    /**
     * Follows changes after the snapshot: keyspace notifications, an application channel or a
     * stream. The subscription opens (or the stream's last entry is taken) before the scan starts,
     * so no change between the two is lost.
     */
    public RedisSourceBuilder setTailMode(RedisTailMode mode) {
        checkTailMode(mode);
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
        checkStream(stream);
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

    /**
     * Sets every option {@code options} holds (keyed by {@link RedisSourceOptions}), each checked
     * as its setter checks it; the first problem is thrown. Options it does not hold keep their
     * values.
     */
    public RedisSourceBuilder setConfiguration(ReadableConfig options) {
        List<RedisSourceOptionException> problems = problems(options);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        for (ConfigOption<?> option : RedisSourceOptions.ALL) {
            copy(options, option);
        }
        return this;
    }

    private <T> void copy(ReadableConfig from, ConfigOption<T> option) {
        from.getOptional(option).ifPresent(value -> config.set(option, value));
    }

    /**
     * Every problem of the options {@code options} holds, and of their combination, in the order of
     * {@link RedisSourceOptions}; empty when the builder takes them all. An unset option is no
     * problem here ({@link #build()} requires the URI).
     */
    public static List<RedisSourceOptionException> problems(ReadableConfig options) {
        List<RedisSourceOptionException> problems = new ArrayList<>();
        check(problems, options, RedisSourceOptions.URI, RedisSourceBuilder::checkUri);
        check(
                problems,
                options,
                RedisSourceOptions.DATABASE,
                database -> checkNotNegative(RedisSourceOptions.DATABASE, database));
        check(
                problems,
                options,
                RedisSourceOptions.SCAN_KEY_PATTERNS,
                RedisSourceBuilder::checkPatterns);
        checkPositive(problems, options, RedisSourceOptions.SCAN_COUNT);
        check(
                problems,
                options,
                RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND,
                rate -> checkNotNegative(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND, rate));
        check(
                problems,
                options,
                RedisSourceOptions.READ_BATCH_SIZE,
                RedisSourceBuilder::checkReadBatchSize);
        checkPositive(problems, options, RedisSourceOptions.READ_MAX_VALUE_ELEMENTS);
        checkPositive(problems, options, RedisSourceOptions.READ_MAX_VALUE_BYTES);
        checkPositiveDuration(problems, options, RedisSourceOptions.CONNECT_TIMEOUT);
        checkPositiveDuration(problems, options, RedisSourceOptions.COMMAND_TIMEOUT);
        checkPositiveDuration(problems, options, RedisSourceOptions.CLUSTER_TOPOLOGY_REFRESH);
        checkPositiveDuration(problems, options, RedisSourceOptions.CLUSTER_FAILOVER_TIMEOUT);
        check(problems, options, RedisSourceOptions.TAIL_MODE, RedisSourceBuilder::checkTailMode);
        check(problems, options, RedisSourceOptions.TAIL_CHANNEL, RedisSourceBuilder::checkChannel);
        check(problems, options, RedisSourceOptions.TAIL_STREAM, RedisSourceBuilder::checkStream);
        checkPositive(problems, options, RedisSourceOptions.TAIL_BUFFER_SIZE);
        return problems;
    }

    /** Checks every setting again and builds the source. */
    public RedisSource build() {
        if (!config.contains(RedisSourceOptions.URI)) {
            throw new RedisSourceOptionException(
                    RedisSourceOptions.URI,
                    "a redis:// URI",
                    RedisSourceOptions.URI.key() + " must be set; call setRedisUri(...).");
        }
        Configuration built = new Configuration(config);
        List<RedisSourceOptionException> problems = problems(built);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        if (!built.contains(RedisSourceOptions.DATABASE)) {
            RedisURI uri = RedisUris.parse(built.get(RedisSourceOptions.URI));
            built.set(RedisSourceOptions.DATABASE, uri.getDatabase());
        }
        return new RedisSource(built);
    }

    /** A check of one value; throws {@link RedisSourceOptionException}. */
    private interface Check<T> {
        void check(T value);
    }

    private static <T> void check(
            List<RedisSourceOptionException> problems,
            ReadableConfig options,
            ConfigOption<T> option,
            Check<T> check) {
        try {
            options.getOptional(option).ifPresent(check::check);
        } catch (RedisSourceOptionException e) {
            problems.add(e);
        } catch (IllegalArgumentException e) {
            // A value the configuration cannot convert to the option's type.
            problems.add(
                    new RedisSourceOptionException(
                            option,
                            "a value of the option's type",
                            option.key() + " has a value of the wrong type: " + e.getMessage()));
        }
    }

    private static void checkPositive(
            List<RedisSourceOptionException> problems,
            ReadableConfig options,
            ConfigOption<Integer> option) {
        check(problems, options, option, value -> checkPositive(option, value));
    }

    private static void checkPositiveDuration(
            List<RedisSourceOptionException> problems,
            ReadableConfig options,
            ConfigOption<Duration> option) {
        check(problems, options, option, value -> checkPositive(option, value));
    }

    private static void checkUri(String uri) {
        try {
            RedisUris.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new RedisSourceOptionException(
                    RedisSourceOptions.URI, "a redis:// or rediss:// URI", e.getMessage());
        }
    }

    private static void checkTailMode(RedisTailMode mode) {
        if (mode == null) {
            throw new RedisSourceOptionException(
                    RedisSourceOptions.TAIL_MODE,
                    "one of NONE, KEYSPACE, CHANNEL, STREAM",
                    RedisSourceOptions.TAIL_MODE.key()
                            + " must be NONE, KEYSPACE, CHANNEL or STREAM.");
        }
    }

    private static void checkChannel(String channel) {
        if (channel == null || channel.isEmpty()) {
            throw new RedisSourceOptionException(
                    RedisSourceOptions.TAIL_CHANNEL,
                    "a channel name",
                    RedisSourceOptions.TAIL_CHANNEL.key() + " must name a channel, was empty.");
        }
    }

    private static void checkStream(String stream) {
        if (stream == null || stream.isEmpty()) {
            throw new RedisSourceOptionException(
                    RedisSourceOptions.TAIL_STREAM,
                    "a stream name",
                    RedisSourceOptions.TAIL_STREAM.key() + " must name a stream, was empty.");
        }
    }

    private static void checkPatterns(List<String> patterns) {
        ConfigOption<?> option = RedisSourceOptions.SCAN_KEY_PATTERNS;
        if (patterns == null || patterns.isEmpty()) {
            throw new RedisSourceOptionException(
                    option,
                    "at least one key pattern",
                    option.key() + " must name at least one pattern, was empty.");
        }
        for (String pattern : patterns) {
            if (pattern == null || pattern.isEmpty()) {
                throw new RedisSourceOptionException(
                        option,
                        "key patterns that are not empty",
                        option.key() + " must not contain an empty pattern, was " + patterns + ".");
            }
        }
    }

    private static void checkReadBatchSize(int readBatchSize) {
        checkPositive(RedisSourceOptions.READ_BATCH_SIZE, readBatchSize);
        if (readBatchSize > MAX_READ_BATCH_SIZE) {
            throw new RedisSourceOptionException(
                    RedisSourceOptions.READ_BATCH_SIZE,
                    "at most " + MAX_READ_BATCH_SIZE,
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
            throw new RedisSourceOptionException(
                    option,
                    "a positive number",
                    option.key() + " must be positive, was " + value + ".");
        }
    }

    private static void checkPositive(ConfigOption<Duration> option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new RedisSourceOptionException(
                    option,
                    "a positive duration",
                    option.key() + " must be a positive duration, was " + value + ".");
        }
    }

    private static void checkNotNegative(ConfigOption<?> option, int value) {
        if (value < 0) {
            throw new RedisSourceOptionException(
                    option,
                    "zero or more",
                    option.key() + " must not be negative, was " + value + ".");
        }
    }
}
