package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisSourceBuilder;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.rollup.RollupSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Everything one run of the sync job needs: which key patterns go to which index and how, the
 * rollups, and three configurations, each keyed by its component's options and checked by that
 * component alone: the source's ({@link RedisSourceOptions}, by {@link RedisSourceBuilder}), the
 * sink's ({@link ElasticsearchSinkOptions}, by {@link ElasticsearchDocumentSinkFactory}) and the
 * job's own ({@link SyncJobOptions}, by {@link SyncJobFactory#problems}).
 *
 * <p>Made from the YAML configuration and its overrides by {@code job.config.SettingsFactory}, or
 * with {@link #of}; {@link #builder} and the typed accessors are the short forms tests use.
 */
public final class SyncJobSettings {
    private final List<IndexRule> rules;
    private final List<RollupSpec> rollups;
    private final Configuration source;
    private final Configuration sink;
    private final Configuration job;

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
        this(b.rules, b.rollups, b.source, b.sink, b.job);
    }

    private SyncJobSettings(
            List<IndexRule> rules,
            List<RollupSpec> rollups,
            Configuration source,
            Configuration sink,
            Configuration job) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("At least one key pattern must map to an index.");
        }
        List<String> hosts = sink.getOptional(ElasticsearchSinkOptions.HOSTS).orElse(List.of());
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(
                    ElasticsearchSinkOptions.HOSTS.key() + " must name the Elasticsearch URL.");
        }
        ElasticsearchUrls.parse(hosts.get(0));
        List<IllegalArgumentException> problems = new ArrayList<>();
        problems.addAll(RedisSourceBuilder.problems(source));
        problems.addAll(ElasticsearchDocumentSinkFactory.problems(sink));
        problems.addAll(SyncJobFactory.problems(job));
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        this.rules = List.copyOf(rules);
        this.rollups = List.copyOf(rollups);
        this.source = new Configuration(source);
        this.sink = new Configuration(sink);
        this.job = new Configuration(job);
    }

    /**
     * Settings of checked configurations: {@code source} holds the URI (secrets resolved), {@code
     * sink} the hosts; the key patterns come from {@code rules}.
     */
    public static SyncJobSettings of(
            List<IndexRule> rules,
            List<RollupSpec> rollups,
            Configuration source,
            Configuration sink,
            Configuration job) {
        return new SyncJobSettings(rules, rollups, source, sink, job);
    }

    public static Builder builder(String redisUri, String elasticsearchUrl, List<IndexRule> rules) {
        return new Builder(redisUri, elasticsearchUrl, rules);
    }

    /** The source's options ({@link RedisSourceOptions}), the URI with its password resolved. */
    public Configuration sourceOptions() {
        return new Configuration(source);
    }

    /** {@link ElasticsearchSinkOptions} of the document sink, with the hosts set. */
    public Configuration sinkOptions() {
        return new Configuration(sink);
    }

    /** The job's own options ({@link SyncJobOptions}). */
    public Configuration jobOptions() {
        return new Configuration(job);
    }

    public String redisUri() {
        return source.get(RedisSourceOptions.URI);
    }

    public String elasticsearchUrl() {
        return sink.get(ElasticsearchSinkOptions.HOSTS).get(0);
    }

    public List<IndexRule> rules() {
        return rules;
    }

    public List<RollupSpec> rollups() {
        return rollups;
    }

    public int scanCount() {
        return source.get(RedisSourceOptions.SCAN_COUNT);
    }

    public int readBatchSize() {
        return source.get(RedisSourceOptions.READ_BATCH_SIZE);
    }

    /** The Redis database to read, or null: the one in the URL, else 0. */
    public Integer database() {
        return source.getOptional(RedisSourceOptions.DATABASE).orElse(null);
    }

    public int maxValueElements() {
        return source.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS);
    }

    public int maxValueBytes() {
        return source.get(RedisSourceOptions.READ_MAX_VALUE_BYTES);
    }

    /** How changes after the snapshot are followed; NONE by default (a bounded snapshot). */
    public RedisTailMode tailMode() {
        return source.get(RedisSourceOptions.TAIL_MODE);
    }

    public String tailChannel() {
        return source.get(RedisSourceOptions.TAIL_CHANNEL);
    }

    /** The change log of tail mode STREAM. */
    public String tailStream() {
        return source.get(RedisSourceOptions.TAIL_STREAM);
    }

    public boolean configureNotifications() {
        return source.get(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS);
    }

    public boolean stopWhenIdle() {
        return source.get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE);
    }

    public Duration checkpointInterval() {
        return job.get(SyncJobOptions.CHECKPOINT_INTERVAL);
    }

    /** How long a checkpoint may take before it counts as failed. */
    public Duration checkpointTimeout() {
        return job.get(SyncJobOptions.CHECKPOINT_TIMEOUT);
    }

    /** Consecutive failed checkpoints tolerated before the job fails (and Flink restarts it). */
    public int tolerableCheckpointFailures() {
        return job.get(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES);
    }

    /**
     * Where checkpoints are kept, as a URI ({@code checkpoint.dir}), or null: the cluster's own
     * ({@code execution.checkpointing.dir}); for {@code local}, its state directory.
     */
    public String checkpointDir() {
        return job.getOptional(SyncJobOptions.CHECKPOINT_DIR).orElse(null);
    }

    /** The index dead letters are also written to, or null. */
    public String deadLetterIndex() {
        return job.getOptional(SyncJobOptions.DEAD_LETTERS_INDEX).orElse(null);
    }

    /**
     * The file dead letters are also written to (one per writer, see {@code DeadLetterOutputs}),
     * absolute, or null. Neither an index nor a file: they are only logged.
     */
    public Path deadLetterFile() {
        return job.getOptional(SyncJobOptions.DEAD_LETTERS_FILE).map(Path::of).orElse(null);
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

    /**
     * A copy that follows changes after the snapshot: {@code mode} and, for {@code CHANNEL}, the
     * channel (null keeps this one's); {@code configureNotifications} lets the source CONFIG SET
     * notify-keyspace-events; {@code stopWhenIdle} ends the job once the snapshot is done and no
     * change is pending.
     */
    public SyncJobSettings withTail(
            RedisTailMode mode,
            String channel,
            boolean configureNotifications,
            boolean stopWhenIdle) {
        Configuration tailing = sourceOptions();
        tailing.set(RedisSourceOptions.TAIL_MODE, mode);
        if (channel != null) {
            tailing.set(RedisSourceOptions.TAIL_CHANNEL, channel);
        }
        tailing.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configureNotifications);
        tailing.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
        return new SyncJobSettings(rules, rollups, tailing, sink, job);
    }

    /** A copy that maps by {@code rules} and has no rollups. */
    public SyncJobSettings withRules(List<IndexRule> rules) {
        return new SyncJobSettings(rules, List.of(), source, sink, job);
    }

    /** Builds {@link SyncJobSettings} option by option; {@link #build()} checks the whole. */
    public static final class Builder {
        private final List<IndexRule> rules;
        private final Configuration source = new Configuration();
        private final Configuration sink = new Configuration();
        private final Configuration job = new Configuration();
        private List<RollupSpec> rollups = List.of();

        private Builder(String redisUri, String elasticsearchUrl, List<IndexRule> rules) {
            // ${env:...} / ${file:...} references and REDIS_PASSWORD, resolved once, here.
            source.set(RedisSourceOptions.URI, RedisSecrets.resolve(redisUri, System.getenv()));
            sink.set(ElasticsearchSinkOptions.HOSTS, List.of(elasticsearchUrl));
            this.rules = rules;
        }

        public Builder scanMaxKeysPerSecond(int keysPerSecond) {
            source.set(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND, keysPerSecond);
            return this;
        }

        public Builder scanCount(int scanCount) {
            source.set(RedisSourceOptions.SCAN_COUNT, scanCount);
            return this;
        }

        public Builder readBatchSize(int readBatchSize) {
            source.set(RedisSourceOptions.READ_BATCH_SIZE, readBatchSize);
            return this;
        }

        public Builder checkpointInterval(Duration interval) {
            job.set(SyncJobOptions.CHECKPOINT_INTERVAL, interval);
            return this;
        }

        /** The checkpoint timeout and the consecutive failed checkpoints tolerated. */
        public Builder checkpointFailures(Duration timeout, int tolerableFailures) {
            job.set(SyncJobOptions.CHECKPOINT_TIMEOUT, timeout);
            job.set(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES, tolerableFailures);
            return this;
        }

        /** A URI Flink's file systems take ({@code file:///...}, {@code s3://...}); or null. */
        public Builder checkpointDir(String uri) {
            setOrRemove(job, SyncJobOptions.CHECKPOINT_DIR, uri);
            return this;
        }

        public Builder database(Integer database) {
            if (database == null) {
                source.removeConfig(RedisSourceOptions.DATABASE);
            } else {
                source.set(RedisSourceOptions.DATABASE, database);
            }
            return this;
        }

        public Builder readLimits(int maxValueElements, int maxValueBytes) {
            source.set(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS, maxValueElements);
            source.set(RedisSourceOptions.READ_MAX_VALUE_BYTES, maxValueBytes);
            return this;
        }

        public Builder tail(RedisTailMode mode, String channel, boolean configureNotifications) {
            source.set(RedisSourceOptions.TAIL_MODE, mode);
            setOrRemove(source, RedisSourceOptions.TAIL_CHANNEL, channel);
            source.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configureNotifications);
            return this;
        }

        public Builder stream(String stream) {
            source.set(RedisSourceOptions.TAIL_STREAM, stream);
            return this;
        }

        public Builder stopWhenIdle(boolean stopWhenIdle) {
            source.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
            return this;
        }

        /** {@link ElasticsearchSinkOptions} (bulk sizes, backoff, timeouts); hosts are kept. */
        public Builder sinkOptions(Configuration options) {
            List<String> hosts = sink.get(ElasticsearchSinkOptions.HOSTS);
            sink.addAll(options);
            sink.set(ElasticsearchSinkOptions.HOSTS, hosts);
            return this;
        }

        public Builder rollups(List<RollupSpec> rollups) {
            this.rollups = rollups;
            return this;
        }

        /** Dead letters also go to {@code index} (null: not to an index). */
        public Builder deadLetterIndex(String index) {
            setOrRemove(job, SyncJobOptions.DEAD_LETTERS_INDEX, index);
            return this;
        }

        /** Dead letters also go to files next to {@code file} (null: not to a file). */
        public Builder deadLetterFile(Path file) {
            setOrRemove(
                    job,
                    SyncJobOptions.DEAD_LETTERS_FILE,
                    file == null ? null : file.toAbsolutePath().toString());
            return this;
        }

        public SyncJobSettings build() {
            return new SyncJobSettings(this);
        }

        private static void setOrRemove(
                Configuration config, ConfigOption<String> option, String value) {
            if (value == null) {
                config.removeConfig(option);
            } else {
                config.set(option, value);
            }
        }
    }
}
