package io.github.redisessync.connector.elasticsearch;

import org.apache.flink.configuration.ConfigOption;

/**
 * A value the document sink refuses for one of the {@link ElasticsearchSinkOptions}. Besides its
 * sentence it names the option and what a valid value is, so that a front end that calls the
 * setting by another name (a YAML path, a command-line option) can report the problem in its own
 * terms without checking the value a second time.
 */
public final class ElasticsearchSinkOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String expected;

    ElasticsearchSinkOptionException(ConfigOption<?> option, String expected, String message) {
        super(message);
        this.option = option.key();
        this.expected = expected;
    }

    /** The key of the option at fault, e.g. {@code bulk-flush.max-actions}. */
    public String option() {
        return option;
    }

    /** What a valid value is, to follow "expected": {@code a positive number}. */
    public String expected() {
        return expected;
    }
}
