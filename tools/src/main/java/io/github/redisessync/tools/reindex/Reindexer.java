package io.github.redisessync.tools.reindex;

import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds each configured index, treated as an alias, into a fresh {@code <alias>-<UTC time>} and
 * moves the alias to it in one atomic {@code POST /_aliases}; keeps the last {@code keep} old ones.
 *
 * <p>Steps per alias ({@link Step}): subscribe to changes, create the index with bulk-load
 * settings, run the job graph bounded (snapshot only) into it, restore the settings, refresh, check
 * the count, catch up, swap, catch up again, delete old indexes. A failure before the swap deletes
 * the new index and leaves the alias as it was.
 *
 * <p><b>Why no change made while it runs is missing afterwards</b>, with or without a {@code sync}
 * job writing through the alias beside it. The {@link ChangeRecorder} subscribes (keyspace
 * notifications or the channel) before the snapshot's SCAN starts. Take a change to key k at time
 * t. If the snapshot read k after t, the load wrote k's state from after t. Otherwise t came after
 * the subscription, so k is recorded. Each catch-up pass first waits for a barrier published on the
 * subscription (every change before it is then recorded), takes the recorded keys and re-reads each
 * one, atomically with Redis's clock as the version, writing it to the new index by name: the
 * re-read comes after the change, so the new index holds k's state from after t, or something
 * newer. Passes repeat until one finds nothing recorded: every change before its barrier is in the
 * new index; the run ends right after. At least one pass runs after the swap, so changes a {@code
 * sync} job beside wrote to the old index until the swap are covered; after the swap that job
 * writes through the alias into the new index itself. Every write (load, re-reads, sync) carries
 * the Redis-µs version of its read and goes with {@code external_gte}, so whichever lands last, the
 * newest read wins and an older one is a no-op. If changes keep arriving faster than passes end,
 * the run stops after {@link #MAX_PASSES} and says so: changes after its last barrier are left to a
 * running {@code sync}. A lost subscription or too many pending keys fails the run.
 */
public final class Reindexer {
    private static final Logger LOG = LoggerFactory.getLogger(Reindexer.class);
    static final int MAX_PASSES = 50;

    /** Before the swap the passes only shrink what is left for after it; a few are enough. */
    static final int PASSES_BEFORE_SWAP = 10;

    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    /** The steps of one alias's reindex, named in failures. */
    public enum Step {
        PREPARE("check the alias and subscribe to changes"),
        CREATE("create the new index"),
        LOAD("load the new index"),
        RESTORE_SETTINGS("restore refresh_interval and number_of_replicas"),
        COUNT("refresh and check the count"),
        CATCH_UP("re-read keys changed during the load"),
        SWAP("move the alias"),
        CATCH_UP_AFTER_SWAP("re-read keys changed until the swap"),
        RETENTION("delete old indexes");

        final String description;

        Step(String description) {
            this.description = description;
        }
    }

    private final SyncJobSetup settings;
    private final int keep;
    private final Supplier<StreamExecutionEnvironment> environments;
    private Clock clock = Clock.systemUTC();
    private int maxPendingChanges = 1_000_000;
    private long expectedCountOffset;
    private Consumer<Step> stepListener = step -> {};

    public Reindexer(
            SyncJobSetup settings, int keep, Supplier<StreamExecutionEnvironment> environments) {
        if (keep < 0) {
            throw new IllegalArgumentException("--keep must not be negative, was " + keep);
        }
        this.settings = settings;
        this.keep = keep;
        this.environments = environments;
    }

    /** The most distinct keys recorded as changed before the run gives up. */
    public Reindexer withMaxPendingChanges(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException(
                    "--max-pending-changes must be positive, was " + max);
        }
        this.maxPendingChanges = max;
        return this;
    }

    /** The clock that names new indexes. */
    Reindexer withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Test only: adds {@code offset} to the count expected after the load, to make it fail. */
    Reindexer withExpectedCountOffset(long offset) {
        this.expectedCountOffset = offset;
        return this;
    }

    /** Test only: told of each step as it starts, on the reindexing thread. */
    Reindexer withStepListener(Consumer<Step> listener) {
        this.stepListener = listener;
        return this;
    }

    private Step enter(Step step) {
        LOG.info("reindex: {}", step.description);
        stepListener.accept(step);
        return step;
    }

    /** Reindexes every configured alias in turn; stops at the first failure. */
    public List<ReindexResult> run() throws ReindexException, InterruptedException {
        Set<String> aliases = new LinkedHashSet<>();
        settings.rules().forEach(rule -> aliases.add(rule.index()));
        List<ReindexResult> results = new ArrayList<>();
        for (String alias : aliases) {
            results.add(reindex(alias));
        }
        return results;
    }

    private ReindexResult reindex(String alias) throws ReindexException, InterruptedException {
        long t0 = System.nanoTime();
        String newIndex = alias + "-" + TIMESTAMP.format(clock.instant()).toLowerCase(Locale.ROOT);
        List<IndexRule> rules =
                settings.rules().stream()
                        .filter(rule -> rule.index().equals(alias))
                        .map(r -> new IndexRule(r.pattern(), newIndex, r.definition(), r.shape()))
                        .collect(Collectors.toList());
        List<KeyPattern> patterns =
                rules.stream().map(IndexRule::pattern).collect(Collectors.toList());
        BulkLoadSettings bulkLoad = BulkLoadSettings.of(rules.get(0).definition());
        Step step = enter(Step.PREPARE);
        boolean created = false;
        try (ElasticsearchAliases es = new ElasticsearchAliases(settings.elasticsearchUrl());
                ElasticsearchIndexManager indexes =
                        ElasticsearchIndexManager.create(
                                settings.elasticsearchUrl(), Duration.ofSeconds(5))) {
            try {
                ElasticsearchAliases.Kind kind = es.kind(alias);
                Set<String> previous =
                        kind == ElasticsearchAliases.Kind.INDEX ? Set.of(alias) : es.targets(alias);
                if (es.kind(newIndex) != ElasticsearchAliases.Kind.ABSENT) {
                    throw new IllegalStateException(newIndex + " exists already");
                }
                if (kind == ElasticsearchAliases.Kind.INDEX) {
                    // First reindex after `sync` created a concrete index under the alias's name:
                    // the swap replaces it (remove_index) by the alias, in the same atomic call.
                    LOG.warn(
                            "{} is a concrete index; the swap will delete it and make {} an alias"
                                    + " of {}.",
                            alias,
                            alias,
                            newIndex);
                }
                try (ChangeRecorder changes =
                        new ChangeRecorder(
                                settings.redisUri(),
                                settings.source().get(RedisSourceOptions.TAIL_MODE),
                                settings.source().get(RedisSourceOptions.TAIL_CHANNEL),
                                settings.source().get(RedisSourceOptions.TAIL_STREAM),
                                patterns,
                                settings.source()
                                        .get(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS),
                                maxPendingChanges)) {
                    step = enter(Step.CREATE);
                    es.createIndex(newIndex, bulkLoad.loadBody());
                    created = true;
                    step = enter(Step.LOAD);
                    long written = load(rules, newIndex);
                    step = enter(Step.RESTORE_SETTINGS);
                    es.updateSettings(newIndex, bulkLoad.restore());
                    step = enter(Step.COUNT);
                    indexes.refresh(newIndex);
                    long counted = indexes.count(newIndex);
                    // Every removal made during the load is recorded before it is counted on: a
                    // stream is read only at a barrier, notifications may still be on their way.
                    changes.awaitBarrier();
                    checkCount(newIndex, written, counted, changes.removals());
                    step = enter(Step.CATCH_UP);
                    RecordMapper mapper = new RecordMapper(rules);
                    try (DirtyKeyWriter writer =
                            new DirtyKeyWriter(
                                    settings.redisUri(),
                                    settings.elasticsearchUrl(),
                                    mapper,
                                    settings.source()
                                            .get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS),
                                    settings.source()
                                            .get(RedisSourceOptions.READ_MAX_VALUE_BYTES))) {
                        CatchUp before = catchUp(changes, writer, PASSES_BEFORE_SWAP);
                        step = enter(Step.SWAP);
                        es.moveAlias(
                                alias,
                                kind == ElasticsearchAliases.Kind.ALIAS ? previous : Set.of(),
                                kind == ElasticsearchAliases.Kind.INDEX ? alias : null,
                                newIndex);
                        LOG.info("Moved alias {} from {} to {}.", alias, previous, newIndex);
                        step = enter(Step.CATCH_UP_AFTER_SWAP);
                        CatchUp after = catchUp(changes, writer, MAX_PASSES);
                        step = enter(Step.RETENTION);
                        List<String> deleted = deleteOld(es, alias, newIndex);
                        return new ReindexResult(
                                alias,
                                newIndex,
                                previous,
                                kind == ElasticsearchAliases.Kind.INDEX,
                                written,
                                counted,
                                changes.changes(),
                                before.keys + after.keys,
                                before.passes + after.passes,
                                after.empty,
                                deleted,
                                (System.nanoTime() - t0) / 1_000_000);
                    }
                }
            } catch (Exception e) {
                boolean moved = step.compareTo(Step.SWAP) > 0;
                if (created && !moved) {
                    deleteQuietly(es, newIndex, e);
                }
                if (e instanceof InterruptedException) {
                    throw (InterruptedException) e;
                }
                throw new ReindexException(alias, newIndex, step, moved, e);
            }
        } catch (java.io.IOException e) {
            throw new ReindexException(alias, newIndex, step, step.compareTo(Step.SWAP) > 0, e);
        }
    }

    /** Runs the job graph bounded (snapshot only) into {@code newIndex}; documents written. */
    private long load(List<IndexRule> rules, String newIndex) throws Exception {
        // The job's own source, sink and dead-letter settings; only the tail and the rules differ.
        SyncJobSetup load =
                settings.withRules(rules).withTail(RedisTailMode.NONE, channel(), false, false);
        StreamExecutionEnvironment env = environments.get();
        // No checkpoints: the load is bounded and the sink flushes at the end of input; a failure
        // fails the reindex, which leaves the alias alone (no version-gate state to store).
        SyncJobFactory.create(load).addTo(env);
        JobExecutionResult result = env.execute("redis-es-sync reindex into " + newIndex);
        Object written =
                result.getAccumulatorResult(RecordMappingFunction.DOCUMENTS_PREFIX + newIndex);
        return written == null ? 0 : ((Number) written).longValue();
    }

    private String channel() {
        String channel = settings.source().get(RedisSourceOptions.TAIL_CHANNEL);
        return channel == null || channel.isEmpty()
                ? RedisSourceOptions.TAIL_CHANNEL.defaultValue()
                : channel;
    }

    /**
     * The load wrote {@code written} documents; a key removed between SCAN and read is written as a
     * delete, so up to {@code removals} (removals seen during the run) fewer may be counted.
     */
    private void checkCount(String index, long written, long counted, long removals) {
        long expected = written + expectedCountOffset;
        if (counted > expected || counted < expected - removals) {
            throw new IllegalStateException(
                    index
                            + " holds "
                            + counted
                            + " documents after the load, expected "
                            + expected
                            + " (documents written)"
                            + (removals > 0 ? " minus at most " + removals + " removed keys" : ""));
        }
        LOG.info("{}: {} documents counted, {} written.", index, counted, written);
    }

    private static final class CatchUp {
        int passes;
        long keys;
        boolean empty;
    }

    /** Passes until one finds nothing recorded before its barrier, or {@code maxPasses}. */
    private CatchUp catchUp(ChangeRecorder changes, DirtyKeyWriter writer, int maxPasses)
            throws Exception {
        CatchUp catchUp = new CatchUp();
        while (catchUp.passes < maxPasses) {
            changes.awaitBarrier();
            List<byte[]> keys = changes.takeDirty();
            catchUp.passes++;
            if (keys.isEmpty()) {
                catchUp.empty = true;
                return catchUp;
            }
            writer.write(keys, settings.source().get(RedisSourceOptions.READ_BATCH_SIZE));
            catchUp.keys += keys.size();
        }
        if (maxPasses == MAX_PASSES) {
            LOG.warn(
                    "Changes kept arriving through {} catch-up passes; those after the last"
                            + " barrier are left to a running sync job.",
                    MAX_PASSES);
        }
        return catchUp;
    }

    /** Deletes {@code <alias>-<timestamp>} indexes beyond the newest {@code keep} old ones. */
    private List<String> deleteOld(ElasticsearchAliases es, String alias, String newIndex) {
        Pattern ours = Pattern.compile(Pattern.quote(alias) + "-\\d{8}t\\d{6}z");
        List<String> old =
                es.indexes(alias + "-*").stream()
                        .filter(name -> ours.matcher(name).matches() && !name.equals(newIndex))
                        .sorted((a, b) -> b.compareTo(a))
                        .collect(Collectors.toList());
        List<String> deleted = new ArrayList<>();
        for (String index : old.subList(Math.min(keep, old.size()), old.size())) {
            es.deleteIndex(index);
            deleted.add(index);
            LOG.info("Deleted {} (keeping the last {} old indexes of {}).", index, keep, alias);
        }
        return deleted;
    }

    private static void deleteQuietly(ElasticsearchAliases es, String index, Exception failure) {
        try {
            es.deleteIndex(index);
            LOG.info("Deleted {} after the failed reindex.", index);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
