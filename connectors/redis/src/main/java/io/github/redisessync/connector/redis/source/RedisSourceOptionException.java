package io.github.redisessync.connector.redis.source;

import org.apache.flink.configuration.ConfigOption;

/**
 * A value {@link RedisSourceBuilder} refuses for one of the {@link RedisSourceOptions}. Besides its
 * sentence ({@code scan.count must be positive, was 0.}) it names the option and what a valid value
 * is, so that a front end that calls the setting by another name (a YAML path, a command-line
 * option) can report the problem in its own terms without checking the value a second time.
 */
public final class RedisSourceOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String expected;

    RedisSourceOptionException(ConfigOption<?> option, String expected, String message) {
        super(message);
        this.option = option.key();
        this.expected = expected;
    }

    /** The key of the option at fault, e.g. {@code scan.count}. */
    public String option() {
        return option;
    }

    /** What a valid value is, to follow "expected": {@code a positive number}. */
    public String expected() {
        return expected;
    }
}
