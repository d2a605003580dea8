package io.github.redisessync.job.config;

import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptionException;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceBuilder;
import io.github.redisessync.connector.redis.source.RedisSourceOptionException;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.RedisSecrets;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobOptionException;
import io.github.redisessync.job.SyncJobOptions;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.deadletter.DeadLetterTarget;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.rollup.RollupSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * Turns a {@link LoadedConfig} into {@link SyncJobSetup}: the source's, the sink's and the job's
 * configurations, each checked by its own component, and the mapping rules and rollups. Every
 * problem names its setting, and all of them are reported at once, before any connection is made.
 *
 * <p>Defaults: without a configuration file and without mappings, the demo data's mappings ({@code
 * user:*} to {@code users}, {@code order:*} to {@code orders}); index mapping files are looked up
 * as {@code <mappings-dir>/<index>.json}, relative to the configuration file.
 */
public final class SettingsFactory {
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
    public SyncJobSetup settings(String redisFallback, String esFallback, boolean stopWhenIdle) {
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

        BoundOptions source = ComponentSettings.source(problems, c.source);
        source.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
        BoundOptions sink = ComponentSettings.sink(problems, c.sink);
        BoundOptions job = ComponentSettings.job(problems, c.checkpoint);
        Set<String> jobIndexes = new HashSet<>();
        rules.forEach(rule -> jobIndexes.add(rule.index()));
        rollups.forEach(rollup -> jobIndexes.add(rollup.targetIndex()));
        DeadLetterTarget deadLetters =
                DeadLetterTarget.check(problems, c.sink.deadLetters, jobIndexes);
        if (deadLetters != null) {
            job.set(
                    "sink.dead-letters.index",
                    deadLetters.index,
                    SyncJobOptions.DEAD_LETTERS_INDEX,
                    deadLetters.index);
            job.set(
                    "sink.dead-letters.file",
                    deadLetters.file,
                    SyncJobOptions.DEAD_LETTERS_FILE,
                    deadLetters.file == null ? null : deadLetters.file.toString());
        }
        // Each component is the one judge of its options; here they are only named as written.
        for (RedisSourceOptionException e : RedisSourceBuilder.problems(source.options())) {
            source.report(problems, e.option(), e.expected());
        }
        for (ElasticsearchSinkOptionException e :
                ElasticsearchDocumentSinkFactory.problems(sink.options())) {
            sink.report(problems, e.option(), e.expected());
        }
        for (SyncJobOptionException e : SyncJobFactory.problems(job.options())) {
            job.report(problems, e.option(), e.expected());
        }
        problems.throwIfAny();

        try {
            Configuration sourceOptions = source.options();
            // ${env:...} / ${file:...} references and REDIS_PASSWORD, resolved once, here.
            sourceOptions.set(RedisSourceOptions.URI, RedisSecrets.resolve(redis, System.getenv()));
            Configuration sinkOptions = sink.options();
            sinkOptions.set(ElasticsearchSinkOptions.HOSTS, List.of(es));
            return SyncJobSetup.of(rules, rollups, sourceOptions, sinkOptions, job.options());
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
