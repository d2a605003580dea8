package io.github.redisessync.job.config;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YAML's {@code source}, {@code sink} and {@code checkpoint} sections as the options of the
 * component each belongs to. Only what the YAML's form requires is checked here (a duration that is
 * not one, a tail kind that does not exist); whether a value is allowed is the component's to say,
 * in {@link SettingsFactory}.
 */
final class ComponentSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentSettings.class);

    private ComponentSettings() {}

    /** {@code source} as {@link RedisSourceOptions}, without the URI (an endpoint of its own). */
    static BoundOptions source(Problems problems, JobConfig.Source s) {
        BoundOptions source = new BoundOptions();
        String tail =
                problems.check(
                        "source.tail",
                        () ->
                                Values.oneOf(
                                        s.tail,
                                        "keyspace",
                                        List.of("keyspace", "channel", "stream", "none")));
        if (tail != null) {
            source.set(
                    "source.tail",
                    tail,
                    RedisSourceOptions.TAIL_MODE,
                    RedisTailMode.valueOf(tail.toUpperCase(Locale.ROOT)));
        }
        source.set("source.channel", s.channel, RedisSourceOptions.TAIL_CHANNEL, s.channel);
        source.set("source.stream", s.stream, RedisSourceOptions.TAIL_STREAM, s.stream);
        source.set(
                "source.configure-notifications",
                s.configureNotifications,
                RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS,
                s.configureNotifications);
        source.set("source.scan-count", s.scanCount, RedisSourceOptions.SCAN_COUNT, s.scanCount);
        source.set(
                "source.max-keys-per-second",
                s.maxKeysPerSecond,
                RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND,
                s.maxKeysPerSecond);
        source.set(
                "source.read-batch-size",
                s.readBatchSize,
                RedisSourceOptions.READ_BATCH_SIZE,
                s.readBatchSize);
        source.set(
                "source.max-value-elements",
                s.maxValueElements,
                RedisSourceOptions.READ_MAX_VALUE_ELEMENTS,
                s.maxValueElements);
        maxValueBytes(problems, source, s);
        return source;
    }

    /** {@code max-value-bytes}, or its old name, so older configurations keep their limit. */
    private static void maxValueBytes(Problems problems, BoundOptions source, JobConfig.Source s) {
        if (s.maxStringBytes == null) {
            source.set(
                    "source.max-value-bytes",
                    s.maxValueBytes,
                    RedisSourceOptions.READ_MAX_VALUE_BYTES,
                    s.maxValueBytes);
            return;
        }
        if (s.maxValueBytes != null) {
            problems.add(
                    "source.max-string-bytes",
                    "is the old name of source.max-value-bytes, which is set too; keep only"
                            + " max-value-bytes.");
        }
        LOG.warn(
                "source.max-string-bytes is deprecated: it is source.max-value-bytes now, which"
                        + " limits the bytes of every type of value, not only of strings.");
        source.set(
                "source.max-string-bytes",
                s.maxStringBytes,
                RedisSourceOptions.READ_MAX_VALUE_BYTES,
                s.maxStringBytes);
    }

    /** {@code sink} as {@link ElasticsearchSinkOptions}, without the hosts and dead letters. */
    static BoundOptions sink(Problems problems, JobConfig.Sink s) {
        BoundOptions sink = new BoundOptions();
        sink.set(
                "sink.bulk-flush-max-actions",
                s.bulkFlushMaxActions,
                ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS,
                s.bulkFlushMaxActions);
        sink.set(
                "sink.bulk-flush-max-size-mb",
                s.bulkFlushMaxSizeMb,
                ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB,
                s.bulkFlushMaxSizeMb);
        sink.set(
                "sink.backoff-max-retries",
                s.backoffMaxRetries,
                ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES,
                s.backoffMaxRetries);
        duration(
                problems,
                sink,
                "sink.bulk-flush-interval",
                s.bulkFlushInterval,
                ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL);
        duration(
                problems,
                sink,
                "sink.backoff-delay",
                s.backoffDelay,
                ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY);
        duration(
                problems,
                sink,
                "sink.connection-timeout",
                s.connectionTimeout,
                ElasticsearchSinkOptions.CONNECTION_TIMEOUT);
        duration(
                problems,
                sink,
                "sink.socket-timeout",
                s.socketTimeout,
                ElasticsearchSinkOptions.SOCKET_TIMEOUT);
        duration(
                problems,
                sink,
                "sink.version-gate-ttl",
                s.versionGateTtl,
                ElasticsearchSinkOptions.VERSION_GATE_TTL);
        return sink;
    }

    /** {@code checkpoint} as {@link SyncJobOptions}; the dead letters are added by the factory. */
    static BoundOptions job(Problems problems, JobConfig.Checkpoint c) {
        BoundOptions job = new BoundOptions();
        duration(
                problems,
                job,
                "checkpoint.interval",
                c.interval,
                SyncJobOptions.CHECKPOINT_INTERVAL);
        duration(problems, job, "checkpoint.timeout", c.timeout, SyncJobOptions.CHECKPOINT_TIMEOUT);
        job.set(
                "checkpoint.tolerable-failures",
                c.tolerableFailures,
                SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES,
                c.tolerableFailures);
        if (c.dir != null) {
            job.set(
                    "checkpoint.dir",
                    c.dir,
                    SyncJobOptions.CHECKPOINT_DIR,
                    problems.check("checkpoint.dir", () -> Values.directoryUri(c.dir)));
        }
        return job;
    }

    private static void duration(
            Problems problems,
            BoundOptions options,
            String path,
            String text,
            ConfigOption<Duration> option) {
        if (text != null) {
            options.set(path, text, option, problems.check(path, () -> Values.duration(text)));
        }
    }
}
