package io.github.redisessync.job;

import org.apache.flink.configuration.ConfigOption;

/**
 * A value the job refuses for one of the {@link SyncJobOptions}; it names the option and what a
 * valid value is, as the connectors' option exceptions do, so the configuration can report it under
 * the setting's own path.
 */
public final class SyncJobOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String expected;

    SyncJobOptionException(ConfigOption<?> option, String expected, String message) {
        super(message);
        this.option = option.key();
        this.expected = expected;
    }

    /** The key of the option at fault, e.g. {@code checkpoint.timeout}. */
    public String option() {
        return option;
    }

    /** What a valid value is, to follow "expected": {@code a positive duration}. */
    public String expected() {
        return expected;
    }
}
