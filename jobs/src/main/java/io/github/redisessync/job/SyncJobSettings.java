package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.rollup.RollupSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Everything one run of the sync job needs, validated: endpoints, which key patterns go to which
 * index and how, source batching and limits, the tail, the sink, rollups and checkpointing.
 *
 * <p>Built from the YAML configuration and its overrides ({@code job.config}) with {@link
 * #builder}; the constructor is the short form for tests.
 */
public final class SyncJobSettings {
    /**
     * How long a checkpoint may take before Flink declares it failed: a stuck checkpoint (a barrier
     * that cannot pass, a flush that never returns) must end, or the job hangs while it looks
     * RUNNING. A healthy checkpoint of this job takes well under a second (the sink's bulks in
     * flight and the version gate); two minutes leave room for the sink to ride out an
     * Elasticsearch restart (its backoff retries a bulk for about that long with the default
     * settings) without failing a checkpoint, yet with {@link
     * #DEFAULT_TOLERABLE_CHECKPOINT_FAILURES} a stuck job restarts within about 8 minutes, not
     * after Flink's default of 10 minutes per checkpoint.
     */
    public static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Consecutive failed checkpoints (timeouts included) the job tolerates before it fails and
     * Flink restarts it from the last completed checkpoint: one slow checkpoint is not worth a
     * restart (which costs a rescan), four in a row are a stall.
     */
    public static final int DEFAULT_TOLERABLE_CHECKPOINT_FAILURES = 3;

    private final String redisUri;
    private final String elasticsearchUrl;
    private final List<IndexRule> rules;
    private final int scanCount;
    private final int scanMaxKeysPerSecond;
    private final int readBatchSize;
    private final Duration checkpointInterval;
    private final Duration checkpointTimeout;
    private final int tolerableCheckpointFailures;
    private final String checkpointDir;
    private final Integer database;
    private final int maxValueElements;
    private final int maxValueBytes;
    private final RedisTailMode tailMode;
    private final String tailChannel;
    private final String tailStream;
    private final boolean configureNotifications;
    private final boolean stopWhenIdle;
    private final Configuration sinkOptions;
    private final List<RollupSpec> rollups;
    private final String deadLetterIndex;
    private final Path deadLetterFile;

    public SyncJobSettings(
            String redisUri,
            String elasticsearchUrl,
            List<IndexRule> rules,
            int scanCount,
            int readBatchSize,
            Duration checkpointInterval) {
        this(
                builder(redisUri, elasticsearchUrl, rules)
                        .scanCount(scanCount)
                        .readBatchSize(readBatchSize)
                        .checkpointInterval(checkpointInterval));
    }

    private SyncJobSettings(Builder b) {
        ElasticsearchUrls.parse(b.elasticsearchUrl);
        if (b.rules.isEmpty()) {
            throw new IllegalArgumentException("At least one key pattern must map to an index.");
        }
        positive("scan-count", b.scanCount);
        positive("read-batch-size", b.readBatchSize);
        positive("max-value-elements", b.maxValueElements);
        positive("max-value-bytes", b.maxValueBytes);
        if (b.checkpointInterval.isNegative() || b.checkpointInterval.isZero()) {
            throw new IllegalArgumentException(
                    "checkpoint-interval must be positive, was " + b.checkpointInterval);
        }
        if (b.checkpointTimeout.isNegative() || b.checkpointTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "checkpoint.timeout must be positive, was " + b.checkpointTimeout);
        }
        if (b.tolerableCheckpointFailures < 0) {
            throw new IllegalArgumentException(
                    "checkpoint.tolerable-failures must not be negative, was "
                            + b.tolerableCheckpointFailures);
        }
        if (b.tailMode == RedisTailMode.CHANNEL
                && (b.tailChannel == null || b.tailChannel.isEmpty())) {
            throw new IllegalArgumentException("--channel must name a channel, was empty.");
        }
        if (b.deadLetterIndex != null && b.deadLetterFile != null) {
            throw new IllegalArgumentException(
                    "sink.dead-letters names both an index and a file; dead letters go to one.");
        }
        this.redisUri = b.redisUri;
        this.elasticsearchUrl = b.elasticsearchUrl;
        this.rules = List.copyOf(b.rules);
        this.scanCount = b.scanCount;
        this.scanMaxKeysPerSecond = b.scanMaxKeysPerSecond;
        this.readBatchSize = b.readBatchSize;
        this.checkpointInterval = b.checkpointInterval;
        this.checkpointTimeout = b.checkpointTimeout;
        this.tolerableCheckpointFailures = b.tolerableCheckpointFailures;
        this.checkpointDir = b.checkpointDir;
        this.database = b.database;
        this.maxValueElements = b.maxValueElements;
        this.maxValueBytes = b.maxValueBytes;
        this.tailMode = b.tailMode;
        this.tailChannel = b.tailChannel;
        this.tailStream = b.tailStream;
        this.configureNotifications = b.configureNotifications;
        this.stopWhenIdle = b.stopWhenIdle;
        this.sinkOptions = new Configuration(b.sinkOptions);
        this.sinkOptions.set(ElasticsearchSinkOptions.HOSTS, List.of(b.elasticsearchUrl));
        this.rollups = List.copyOf(b.rollups);
        this.deadLetterIndex = b.deadLetterIndex;
        this.deadLetterFile = b.deadLetterFile == null ? null : b.deadLetterFile.toAbsolutePath();
    }

    public static Builder builder(String redisUri, String elasticsearchUrl, List<IndexRule> rules) {
        return new Builder(redisUri, elasticsearchUrl, rules);
    }

    private static void positive(String setting, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
    }

    public String redisUri() {
        return redisUri;
    }

    public String elasticsearchUrl() {
        return elasticsearchUrl;
    }

    public List<IndexRule> rules() {
        return rules;
    }

    public int scanCount() {
        return scanCount;
    }

    /** The most keys per second the scans read; 0 for no cap. */
    public int scanMaxKeysPerSecond() {
        return scanMaxKeysPerSecond;
    }

    public int readBatchSize() {
        return readBatchSize;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** How long a checkpoint may take before it counts as failed. */
    public Duration checkpointTimeout() {
        return checkpointTimeout;
    }

    /** Consecutive failed checkpoints tolerated before the job fails (and Flink restarts it). */
    public int tolerableCheckpointFailures() {
        return tolerableCheckpointFailures;
    }

    /**
     * Where checkpoints are kept, as a URI ({@code checkpoint.dir}), or null: the cluster's own
     * ({@code execution.checkpointing.dir}); for {@code local}, its state directory.
     */
    public String checkpointDir() {
        return checkpointDir;
    }

    /** The Redis database to read, or null: the one in the URL, else 0. */
    public Integer database() {
        return database;
    }

    public int maxValueElements() {
        return maxValueElements;
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }

    /** {@link ElasticsearchSinkOptions} of the document sink, with the hosts set. */
    public Configuration sinkOptions() {
        return new Configuration(sinkOptions);
    }

    public List<RollupSpec> rollups() {
        return rollups;
    }

    /** The index whose documents {@code rollup} aggregates: its own, or its key pattern's. */
    public String sourceIndexOf(RollupSpec rollup) {
        if (rollup.sourceIndex() != null) {
            return rollup.sourceIndex();
        }
        for (IndexRule rule : rules) {
            if (rule.pattern().glob().equals(rollup.sourceKeyGlob())) {
                return rule.index();
            }
        }
        throw new IllegalArgumentException(
                "Rollup "
                        + rollup.name()
                        + " reads keys no mapping has: "
                        + rollup.sourceKeyGlob());
    }

    /** The index dead letters are also written to, or null. */
    public String deadLetterIndex() {
        return deadLetterIndex;
    }

    /**
     * The file dead letters are also written to (one per writer, see {@code DeadLetterOutputs}),
     * absolute, or null. Neither an index nor a file: they are only logged.
     */
    public Path deadLetterFile() {
        return deadLetterFile;
    }

    /**
     * A copy that follows changes after the snapshot: {@code mode} and, for {@code CHANNEL}, the
     * channel; {@code configureNotifications} lets the source CONFIG SET notify-keyspace-events;
     * {@code stopWhenIdle} ends the job once the snapshot is done and no change is pending.
     */
    public SyncJobSettings withTail(
            RedisTailMode mode,
            String channel,
            boolean configureNotifications,
            boolean stopWhenIdle) {
        return toBuilder()
                .tail(mode, channel == null ? tailChannel : channel, configureNotifications)
                .stopWhenIdle(stopWhenIdle)
                .build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(redisUri, elasticsearchUrl, rules);
        b.scanCount = scanCount;
        b.scanMaxKeysPerSecond = scanMaxKeysPerSecond;
        b.readBatchSize = readBatchSize;
        b.checkpointInterval = checkpointInterval;
        b.checkpointTimeout = checkpointTimeout;
        b.tolerableCheckpointFailures = tolerableCheckpointFailures;
        b.checkpointDir = checkpointDir;
        b.database = database;
        b.maxValueElements = maxValueElements;
        b.maxValueBytes = maxValueBytes;
        b.tailMode = tailMode;
        b.tailChannel = tailChannel;
        b.tailStream = tailStream;
        b.configureNotifications = configureNotifications;
        b.stopWhenIdle = stopWhenIdle;
        b.sinkOptions = new Configuration(sinkOptions);
        b.rollups = rollups;
        b.deadLetterIndex = deadLetterIndex;
        b.deadLetterFile = deadLetterFile;
        return b;
    }

    /** How changes after the snapshot are followed; NONE by default (a bounded snapshot). */
    public RedisTailMode tailMode() {
        return tailMode;
    }

    public String tailChannel() {
        return tailChannel;
    }

    /** The change log of tail mode STREAM. */
    public String tailStream() {
        return tailStream;
    }

    public boolean configureNotifications() {
        return configureNotifications;
    }

    public boolean stopWhenIdle() {
        return stopWhenIdle;
    }

    /** Builds {@link SyncJobSettings}; {@link #build()} checks the whole. */
    public static final class Builder {
        private final String redisUri;
        private final String elasticsearchUrl;
        private final List<IndexRule> rules;
        private int scanCount = RedisSourceOptions.SCAN_COUNT.defaultValue();
        private int scanMaxKeysPerSecond =
                RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND.defaultValue();
        private int readBatchSize = RedisSourceOptions.READ_BATCH_SIZE.defaultValue();
        private Duration checkpointInterval = Duration.ofSeconds(10);
        private Duration checkpointTimeout = DEFAULT_CHECKPOINT_TIMEOUT;
        private int tolerableCheckpointFailures = DEFAULT_TOLERABLE_CHECKPOINT_FAILURES;
        private String checkpointDir;
        private Integer database;
        private int maxValueElements = RedisSourceOptions.READ_MAX_VALUE_ELEMENTS.defaultValue();
        private int maxValueBytes = RedisSourceOptions.READ_MAX_VALUE_BYTES.defaultValue();
        private RedisTailMode tailMode = RedisTailMode.NONE;
        private String tailChannel = RedisSourceOptions.TAIL_CHANNEL.defaultValue();
        private String tailStream = RedisSourceOptions.TAIL_STREAM.defaultValue();
        private boolean configureNotifications;
        private boolean stopWhenIdle;
        private Configuration sinkOptions = new Configuration();
        private List<RollupSpec> rollups = List.of();
        private String deadLetterIndex;
        private Path deadLetterFile;

        private Builder(String redisUri, String elasticsearchUrl, List<IndexRule> rules) {
            // ${env:...} / ${file:...} references and REDIS_PASSWORD, resolved once, here.
            this.redisUri = RedisSecrets.resolve(redisUri, System.getenv());
            this.elasticsearchUrl = elasticsearchUrl;
            this.rules = rules;
        }

        public Builder scanMaxKeysPerSecond(int keysPerSecond) {
            if (keysPerSecond < 0) {
                throw new IllegalArgumentException(
                        "source.max-keys-per-second must not be negative, was "
                                + keysPerSecond
                                + ".");
            }
            this.scanMaxKeysPerSecond = keysPerSecond;
            return this;
        }

        public Builder scanCount(int scanCount) {
            this.scanCount = scanCount;
            return this;
        }

        public Builder readBatchSize(int readBatchSize) {
            this.readBatchSize = readBatchSize;
            return this;
        }

        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        /** The checkpoint timeout and the consecutive failed checkpoints tolerated. */
        public Builder checkpointFailures(Duration timeout, int tolerableFailures) {
            this.checkpointTimeout = timeout;
            this.tolerableCheckpointFailures = tolerableFailures;
            return this;
        }

        /** A URI Flink's file systems take ({@code file:///...}, {@code s3://...}); or null. */
        public Builder checkpointDir(String uri) {
            this.checkpointDir = uri;
            return this;
        }

        public Builder database(Integer database) {
            this.database = database;
            return this;
        }

        public Builder readLimits(int maxValueElements, int maxValueBytes) {
            this.maxValueElements = maxValueElements;
            this.maxValueBytes = maxValueBytes;
            return this;
        }

        public Builder tail(RedisTailMode mode, String channel, boolean configureNotifications) {
            this.tailMode = mode;
            this.tailChannel = channel;
            this.configureNotifications = configureNotifications;
            return this;
        }

        public Builder stream(String stream) {
            this.tailStream = stream;
            return this;
        }

        public Builder stopWhenIdle(boolean stopWhenIdle) {
            this.stopWhenIdle = stopWhenIdle;
            return this;
        }

        /** {@link ElasticsearchSinkOptions} (bulk sizes, backoff, timeouts); hosts are set here. */
        public Builder sinkOptions(Configuration options) {
            this.sinkOptions = new Configuration(options);
            return this;
        }

        public Builder rollups(List<RollupSpec> rollups) {
            this.rollups = rollups;
            return this;
        }

        /** Dead letters also go to {@code index} (null: not to an index). */
        public Builder deadLetterIndex(String index) {
            this.deadLetterIndex = index;
            return this;
        }

        /** Dead letters also go to files next to {@code file} (null: not to a file). */
        public Builder deadLetterFile(Path file) {
            this.deadLetterFile = file;
            return this;
        }

        public SyncJobSettings build() {
            return new SyncJobSettings(this);
        }
    }
}
