package io.github.redisessync.job;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The settings of the sync job that belong to neither its source ({@code RedisSourceOptions}) nor
 * its sink ({@code ElasticsearchSinkOptions}): checkpointing and where dead letters go. {@link
 * SyncJobFactory#problems} checks them.
 */
public final class SyncJobOptions {

    private SyncJobOptions() {}

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often a checkpoint is taken; the sink flushes its buffer on"
                                    + " each.");

    /*
     * A healthy checkpoint of this job takes well under a second (the sink's bulks in flight and
     * the version gate); two minutes leave room for the sink to ride out an Elasticsearch restart
     * (its backoff retries a bulk for about that long with the default settings) without failing a
     * checkpoint, yet with the default tolerable failures a stuck job restarts within about 8
     * minutes, not after Flink's default of 10 minutes per checkpoint.
     */
    public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
            ConfigOptions.key("checkpoint.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "How long a checkpoint may take before Flink declares it failed, so"
                                    + " that a stuck checkpoint ends instead of hanging while the"
                                    + " job looks RUNNING.");

    /* One slow checkpoint is not worth a restart (which costs a rescan); four in a row are a stall. */
    public static final ConfigOption<Integer> CHECKPOINT_TOLERABLE_FAILURES =
            ConfigOptions.key("checkpoint.tolerable-failures")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Consecutive failed checkpoints (timeouts included) tolerated before"
                                    + " the job fails and Flink restarts it from the last"
                                    + " completed checkpoint.");

    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOptions.key("checkpoint.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Where checkpoints are kept, as a URI Flink's file systems take"
                                    + " (file:///..., s3://...). Unset: the cluster's own"
                                    + " (execution.checkpointing.dir); for local, its state"
                                    + " directory.");

    public static final ConfigOption<String> DEAD_LETTERS_INDEX =
            ConfigOptions.key("dead-letters.index")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The index dead letters are also written to; unset: not to an"
                                    + " index.");

    public static final ConfigOption<String> DEAD_LETTERS_FILE =
            ConfigOptions.key("dead-letters.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The absolute path dead letters are also written next to, one file"
                                    + " per writer; unset: not to a file. Neither an index nor a"
                                    + " file: dead letters are only logged.");

    /** Every option above. */
    static final List<ConfigOption<?>> ALL =
            List.of(
                    CHECKPOINT_INTERVAL,
                    CHECKPOINT_TIMEOUT,
                    CHECKPOINT_TOLERABLE_FAILURES,
                    CHECKPOINT_DIR,
                    DEAD_LETTERS_INDEX,
                    DEAD_LETTERS_FILE);
}
