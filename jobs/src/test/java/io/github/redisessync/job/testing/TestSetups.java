package io.github.redisessync.job.testing;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.RedisSecrets;
import io.github.redisessync.job.SyncJobOptions;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.rollup.RollupSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * A {@link SyncJobSetup} option by option, for tests that need no YAML file: each setter writes the
 * component's option, and {@link Builder#build()} lets the components check them, as the
 * configuration does. Defaults are the options' own: a bounded snapshot without a tail.
 */
public final class TestSetups {

    private TestSetups() {}

    public static Builder builder(String redisUri, String elasticsearchUrl, List<IndexRule> rules) {
        return new Builder(redisUri, elasticsearchUrl, rules);
    }

    /** A snapshot of {@code rules} with the given batching and checkpoint interval. */
    public static SyncJobSetup of(
            String redisUri,
            String elasticsearchUrl,
            List<IndexRule> rules,
            int scanCount,
            int readBatchSize,
            Duration checkpointInterval) {
        return builder(redisUri, elasticsearchUrl, rules)
                .scanCount(scanCount)
                .readBatchSize(readBatchSize)
                .checkpointInterval(checkpointInterval)
                .build();
    }

    /** Writes options of the source, the sink and the job; checks nothing itself. */
    public static final class Builder {
        private final List<IndexRule> rules;
        private final Configuration source = new Configuration();
        private final Configuration sink = new Configuration();
        private final Configuration job = new Configuration();
        private List<RollupSpec> rollups = List.of();

        private Builder(String redisUri, String elasticsearchUrl, List<IndexRule> rules) {
            // ${env:...} / ${file:...} references and REDIS_PASSWORD, as the configuration does.
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

        public Builder readLimits(int maxValueElements, int maxValueBytes) {
            source.set(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS, maxValueElements);
            source.set(RedisSourceOptions.READ_MAX_VALUE_BYTES, maxValueBytes);
            return this;
        }

        /** The tail; a null channel keeps the default. */
        public Builder tail(RedisTailMode mode, String channel, boolean configureNotifications) {
            source.set(RedisSourceOptions.TAIL_MODE, mode);
            if (channel != null) {
                source.set(RedisSourceOptions.TAIL_CHANNEL, channel);
            }
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

        /** {@link ElasticsearchSinkOptions} besides the hosts, which stay. */
        public Builder sinkOptions(Configuration options) {
            List<String> hosts = sink.get(ElasticsearchSinkOptions.HOSTS);
            sink.addAll(options);
            sink.set(ElasticsearchSinkOptions.HOSTS, hosts);
            return this;
        }

        public Builder checkpointInterval(Duration interval) {
            job.set(SyncJobOptions.CHECKPOINT_INTERVAL, interval);
            return this;
        }

        public Builder checkpointFailures(Duration timeout, int tolerableFailures) {
            job.set(SyncJobOptions.CHECKPOINT_TIMEOUT, timeout);
            job.set(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES, tolerableFailures);
            return this;
        }

        public Builder checkpointDir(String uri) {
            job.set(SyncJobOptions.CHECKPOINT_DIR, uri);
            return this;
        }

        public Builder deadLetterIndex(String index) {
            job.set(SyncJobOptions.DEAD_LETTERS_INDEX, index);
            return this;
        }

        public Builder deadLetterFile(Path file) {
            job.set(SyncJobOptions.DEAD_LETTERS_FILE, file.toAbsolutePath().toString());
            return this;
        }

        public Builder rollups(List<RollupSpec> rollups) {
            this.rollups = rollups;
            return this;
        }

        public SyncJobSetup build() {
            return SyncJobSetup.of(rules, rollups, source, sink, job);
        }
    }
}
