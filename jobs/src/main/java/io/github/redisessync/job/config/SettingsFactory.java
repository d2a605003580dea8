package io.github.redisessync.job.config;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobSettings;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.rollup.RollupSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a {@link LoadedConfig} as a whole and builds {@link SyncJobSettings}; every problem
 * names its setting, and all of them are reported at once, before any connection is made.
 *
 * <p>Defaults: without a configuration file and without mappings, the demo data's mappings ({@code
 * user:*} to {@code users}, {@code order:*} to {@code orders}); index mapping files are looked up
 * as {@code <mappings-dir>/<index>.json}, relative to the configuration file.
 */
public final class SettingsFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsFactory.class);
    private static final Pattern REDIS_DB = Pattern.compile("^(rediss?://[^/?#]*)(/(\\d*))?(.*)$");

    private final LoadedConfig loaded;
    private final Path defaultMappingsDir;

    /** {@code defaultMappingsDir}: where mapping files are without a file or mappings-dir. */
    public SettingsFactory(LoadedConfig loaded, Path defaultMappingsDir) {
        this.loaded = loaded;
        this.defaultMappingsDir = defaultMappingsDir;
    }

    /** The Redis URL the configuration names (CA file folded in), or null. */
    public String redisUrl() {
        String url = loaded.config().redis.url;
        String caFile = loaded.config().redis.caFile;
        return url == null || caFile == null ? url : RedisClients.withCaFile(url, caFile);
    }

    /** The Elasticsearch URL the configuration names (TLS files folded in), or null. */
    public String elasticsearchUrl() {
        return TlsFileSettings.elasticsearchUrl(loaded.config().elasticsearch);
    }

    /**
     * The settings, with {@code redisFallback} / {@code esFallback} where the configuration names
     * no endpoint ({@code local}'s embedded servers); a null fallback makes the endpoint required.
     */
    public SyncJobSettings settings(String redisFallback, String esFallback, boolean stopWhenIdle) {
        JobConfig c = loaded.config();
        Problems problems = new Problems(loaded);
        String redis =
                endpoint(problems, "redis.url", c.redis.url, redisFallback, "REDIS_URL", "--redis");
        if (redis != null) {
            redis =
                    problems.check(
                            "redis.url",
                            () ->
                                    checkRedis(
                                            redisWithDatabase(
                                                    problems,
                                                    c.redis.url == null
                                                            ? redisFallback
                                                            : c.redis.url)));
        }
        String es =
                endpoint(
                        problems,
                        "elasticsearch.url",
                        c.elasticsearch.url,
                        esFallback,
                        "ES_URL",
                        "--es");
        if (es != null) {
            String url = es;
            problems.check("elasticsearch.url", () -> ElasticsearchUrls.parse(url));
        }
        // Folded into the URLs, as the database is: every client built from them trusts the CA.
        redis = TlsFileSettings.redis(problems, redis, c.redis.caFile);
        es = TlsFileSettings.elasticsearch(problems, es, c.elasticsearch);
        Path base =
                loaded.file() == null ? Path.of("") : loaded.file().toAbsolutePath().getParent();
        Path mappingsDir =
                c.elasticsearch.mappingsDir != null
                        ? base.resolve(c.elasticsearch.mappingsDir)
                        : loaded.file() == null ? defaultMappingsDir : base.resolve("mappings");
        List<JobConfig.Mapping> mappingConfigs = c.mappings;
        if (mappingConfigs.isEmpty() && loaded.file() == null) {
            mappingConfigs = List.of(demo("user:*", "users"), demo("order:*", "orders"));
        }
        MappingRules mappings = new MappingRules(problems, base, mappingsDir);
        List<IndexRule> rules = mappings.rules(mappingConfigs);
        List<JobConfig.Rollup> rollupConfigs = c.rollups;
        boolean demoKeys =
                mappingConfigs.stream()
                        .map(m -> m == null ? null : m.pattern)
                        .collect(Collectors.toSet())
                        .containsAll(List.of("user:*", "order:*"));
        if (rollupConfigs.isEmpty() && loaded.file() == null && demoKeys) {
            // The demo's rollups, also under other index names (--index user:*=...).
            rollupConfigs = demoRollups();
        }
        List<RollupSpec> rollups =
                new RollupBindings(problems, mappings, mappingConfigs, base, mappingsDir)
                        .specs(rollupConfigs);

        JobConfig.Source s = c.source;
        String tail =
                problems.check(
                        "source.tail",
                        () ->
                                Values.oneOf(
                                        s.tail,
                                        "keyspace",
                                        List.of("keyspace", "channel", "stream", "none")));
        String channel =
                s.channel != null ? s.channel : RedisSourceOptions.TAIL_CHANNEL.defaultValue();
        if ("channel".equals(tail) && channel.isEmpty()) {
            problems.add("source.channel", "expected a channel name for tail channel, was empty.");
        }
        String stream = s.stream != null ? s.stream : RedisSourceOptions.TAIL_STREAM.defaultValue();
        if ("stream".equals(tail) && stream.isEmpty()) {
            problems.add("source.stream", "expected a stream name for tail stream, was empty.");
        }
        int scanCount =
                positive(problems, "source.scan-count", s.scanCount, RedisSourceOptions.SCAN_COUNT);
        Integer rate =
                s.maxKeysPerSecond == null
                        ? Integer.valueOf(0)
                        : problems.check(
                                "source.max-keys-per-second",
                                () -> Values.notNegative(s.maxKeysPerSecond));
        int batch =
                positive(
                        problems,
                        "source.read-batch-size",
                        s.readBatchSize,
                        RedisSourceOptions.READ_BATCH_SIZE);
        int elements =
                positive(
                        problems,
                        "source.max-value-elements",
                        s.maxValueElements,
                        RedisSourceOptions.READ_MAX_VALUE_ELEMENTS);
        int bytes = maxValueBytes(problems, s);
        Duration checkpoint =
                c.checkpoint.interval == null
                        ? Duration.ofSeconds(10)
                        : problems.check(
                                "checkpoint.interval",
                                () -> Values.positiveDuration(c.checkpoint.interval));
        Duration checkpointTimeout =
                c.checkpoint.timeout == null
                        ? SyncJobSettings.DEFAULT_CHECKPOINT_TIMEOUT
                        : problems.check(
                                "checkpoint.timeout",
                                () -> Values.positiveDuration(c.checkpoint.timeout));
        Integer tolerableFailures =
                c.checkpoint.tolerableFailures == null
                        ? Integer.valueOf(SyncJobSettings.DEFAULT_TOLERABLE_CHECKPOINT_FAILURES)
                        : problems.check(
                                "checkpoint.tolerable-failures",
                                () -> Values.notNegative(c.checkpoint.tolerableFailures));
        String checkpointDir =
                c.checkpoint.dir == null
                        ? null
                        : problems.check(
                                "checkpoint.dir", () -> Values.directoryUri(c.checkpoint.dir));
        Configuration sink = sinkOptions(problems, c.sink);
        Set<String> jobIndexes = new HashSet<>();
        rules.forEach(rule -> jobIndexes.add(rule.index()));
        rollups.forEach(rollup -> jobIndexes.add(rollup.targetIndex()));
        DeadLetterTarget deadLetters =
                DeadLetterTarget.check(problems, c.sink.deadLetters, jobIndexes);
        problems.throwIfAny();

        try {
            return SyncJobSettings.builder(redis, es, rules)
                    .scanCount(scanCount)
                    .scanMaxKeysPerSecond(rate == null ? 0 : rate)
                    .readBatchSize(batch)
                    .readLimits(elements, bytes)
                    .checkpointInterval(checkpoint)
                    .checkpointFailures(checkpointTimeout, tolerableFailures)
                    .checkpointDir(checkpointDir)
                    .tail(
                            RedisTailMode.valueOf(tail.toUpperCase(Locale.ROOT)),
                            channel,
                            Boolean.TRUE.equals(s.configureNotifications))
                    .stream(stream)
                    .stopWhenIdle(stopWhenIdle)
                    .sinkOptions(sink)
                    .rollups(rollups)
                    .deadLetterIndex(deadLetters.index)
                    .deadLetterFile(deadLetters.file)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    (loaded.file() != null ? loaded.file() + ": " : "") + e.getMessage());
        }
    }

    private static String endpoint(
            Problems problems,
            String path,
            String value,
            String fallback,
            String env,
            String option) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        if (fallback != null) {
            return fallback;
        }
        problems.add(
                path,
                "is missing: expected the server's URL in the file, in "
                        + env
                        + " or with "
                        + option
                        + ".");
        return null;
    }

    private static String checkRedis(String url) {
        EndpointChecks.parseRedisUri(url);
        return url;
    }

    /** Folds {@code redis.database} into the URL, so the source and verify read the same one. */
    private String redisWithDatabase(Problems problems, String url) {
        Integer database = loaded.config().redis.database;
        if (database == null) {
            return url;
        }
        if (database < 0) {
            problems.add("redis.database", "expected zero or more, was " + database + ".");
            return url;
        }
        Matcher m = REDIS_DB.matcher(url);
        if (!m.matches()) {
            return url;
        }
        if (m.group(3) != null
                && !m.group(3).isEmpty()
                && Integer.parseInt(m.group(3)) != database) {
            problems.add(
                    "redis.database",
                    database
                            + " differs from the database "
                            + m.group(3)
                            + " in redis.url; name it once.");
            return url;
        }
        return m.group(1) + "/" + database + m.group(4);
    }

    /** {@code max-value-bytes}, or its old name, so older configurations keep their limit. */
    private static int maxValueBytes(Problems problems, JobConfig.Source s) {
        if (s.maxStringBytes == null) {
            return positive(
                    problems,
                    "source.max-value-bytes",
                    s.maxValueBytes,
                    RedisSourceOptions.READ_MAX_VALUE_BYTES);
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
        return positive(
                problems,
                "source.max-string-bytes",
                s.maxStringBytes,
                RedisSourceOptions.READ_MAX_VALUE_BYTES);
    }

    private static int positive(
            Problems problems, String path, Integer value, ConfigOption<Integer> option) {
        if (value == null) {
            return option.defaultValue();
        }
        Integer checked = problems.check(path, () -> Values.positive(value));
        return checked == null ? option.defaultValue() : checked;
    }

    private static Configuration sinkOptions(Problems problems, JobConfig.Sink s) {
        Configuration options = new Configuration();
        if (s.bulkFlushMaxActions != null) {
            // -1 switches the limit off, as in the connector.
            if (s.bulkFlushMaxActions == 0 || s.bulkFlushMaxActions < -1) {
                problems.add(
                        "sink.bulk-flush-max-actions",
                        "expected a positive number (or -1 for no limit), was "
                                + s.bulkFlushMaxActions
                                + ".");
            }
            options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS, s.bulkFlushMaxActions);
        }
        if (s.bulkFlushMaxSizeMb != null) {
            problems.check(
                    "sink.bulk-flush-max-size-mb", () -> Values.positive(s.bulkFlushMaxSizeMb));
            options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB, s.bulkFlushMaxSizeMb);
        }
        if (s.backoffMaxRetries != null) {
            problems.check(
                    "sink.backoff-max-retries", () -> Values.notNegative(s.backoffMaxRetries));
            options.set(
                    ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES, s.backoffMaxRetries);
        }
        duration(
                problems,
                options,
                "sink.bulk-flush-interval",
                s.bulkFlushInterval,
                ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL);
        duration(
                problems,
                options,
                "sink.backoff-delay",
                s.backoffDelay,
                ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY);
        duration(
                problems,
                options,
                "sink.connection-timeout",
                s.connectionTimeout,
                ElasticsearchSinkOptions.CONNECTION_TIMEOUT);
        duration(
                problems,
                options,
                "sink.socket-timeout",
                s.socketTimeout,
                ElasticsearchSinkOptions.SOCKET_TIMEOUT);
        duration(
                problems,
                options,
                "sink.version-gate-ttl",
                s.versionGateTtl,
                ElasticsearchSinkOptions.VERSION_GATE_TTL);
        return options;
    }

    private static void duration(
            Problems problems,
            Configuration options,
            String path,
            String text,
            ConfigOption<Duration> option) {
        if (text != null) {
            Duration d = problems.check(path, () -> Values.positiveDuration(text));
            if (d != null) {
                options.set(option, d);
            }
        }
    }

    /**
     * The rollups of conf/demo.yaml (users by city, orders per minute by status), by key pattern so
     * that they follow the demo keys into any index.
     */
    private static List<JobConfig.Rollup> demoRollups() {
        JobConfig.Rollup cities = new JobConfig.Rollup();
        cities.name = "users_by_city";
        cities.sourcePattern = "user:*";
        cities.groupBy = List.of("city");
        cities.metrics = List.of("count", "avg(age)");
        JobConfig.Rollup orders = new JobConfig.Rollup();
        orders.name = "orders_per_minute";
        orders.sourcePattern = "order:*";
        orders.timeField = "created_at";
        orders.window = "1min";
        orders.groupBy = List.of("status");
        orders.metrics = List.of("count", "sum(amount)");
        orders.allowedLateness = "10min";
        return List.of(cities, orders);
    }

    private static JobConfig.Mapping demo(String pattern, String index) {
        JobConfig.Mapping m = new JobConfig.Mapping();
        m.pattern = pattern;
        m.index = index;
        return m;
    }
}
