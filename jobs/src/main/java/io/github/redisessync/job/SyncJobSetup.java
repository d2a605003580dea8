package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisSourceBuilder;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.rollup.RollupSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.UnmodifiableConfiguration;

/**
 * One run of the sync job: which key patterns go to which index and how, the rollups, and three
 * configurations, each keyed by its component's options and checked by that component alone: the
 * source's ({@link RedisSourceOptions}, by {@link RedisSourceBuilder}), the sink's ({@link
 * ElasticsearchSinkOptions}, by {@link ElasticsearchDocumentSinkFactory}) and the job's own ({@link
 * SyncJobOptions}, by {@link SyncJobFactory#problems}).
 *
 * <p>Made from the YAML configuration and its overrides by {@code job.config.SettingsFactory}. The
 * source's configuration holds the Redis URI with its password resolved: it is handed to the source
 * as it is and never logged.
 */
public final class SyncJobSetup {
    private final List<IndexRule> rules;
    private final List<RollupSpec> rollups;
    private final Configuration source;
    private final Configuration sink;
    private final Configuration job;

    private SyncJobSetup(
            List<IndexRule> rules,
            List<RollupSpec> rollups,
            Configuration source,
            Configuration sink,
            Configuration job) {
        this.rules = List.copyOf(rules);
        this.rollups = List.copyOf(rollups);
        this.source = new UnmodifiableConfiguration(source);
        this.sink = new UnmodifiableConfiguration(sink);
        this.job = new UnmodifiableConfiguration(job);
    }

    /**
     * The setup of these configurations, after each component has checked its own: {@code source}
     * must hold the URI (secrets resolved) and {@code sink} the hosts; the key patterns come from
     * {@code rules}. The first problem is thrown.
     */
    public static SyncJobSetup of(
            List<IndexRule> rules,
            List<RollupSpec> rollups,
            Configuration source,
            Configuration sink,
            Configuration job) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("At least one key pattern must map to an index.");
        }
        if (!source.contains(RedisSourceOptions.URI)) {
            throw new IllegalArgumentException(
                    RedisSourceOptions.URI.key() + " must name the Redis server.");
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
        return new SyncJobSetup(rules, rollups, source, sink, job);
    }

    public List<IndexRule> rules() {
        return rules;
    }

    public List<RollupSpec> rollups() {
        return rollups;
    }

    /** The source's options ({@link RedisSourceOptions}); read-only. */
    public Configuration source() {
        return source;
    }

    /** The document sink's options ({@link ElasticsearchSinkOptions}), hosts set; read-only. */
    public Configuration sink() {
        return sink;
    }

    /** The job's own options ({@link SyncJobOptions}); read-only. */
    public Configuration job() {
        return job;
    }

    /** The Redis server, password resolved: for clients, never for a message. */
    public String redisUri() {
        return source.get(RedisSourceOptions.URI);
    }

    /** The Elasticsearch URL the sink writes to, with its user-info if the URL has one. */
    public String elasticsearchUrl() {
        return sink.get(ElasticsearchSinkOptions.HOSTS).get(0);
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
    public SyncJobSetup withTail(
            RedisTailMode mode,
            String channel,
            boolean configureNotifications,
            boolean stopWhenIdle) {
        Configuration tailing = new Configuration(source);
        tailing.set(RedisSourceOptions.TAIL_MODE, mode);
        if (channel != null) {
            tailing.set(RedisSourceOptions.TAIL_CHANNEL, channel);
        }
        tailing.set(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS, configureNotifications);
        tailing.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
        return of(rules, rollups, tailing, sink, job);
    }

    /** A copy that maps by {@code rules} and has no rollups. */
    public SyncJobSetup withRules(List<IndexRule> rules) {
        return of(rules, List.of(), source, sink, job);
    }
}
