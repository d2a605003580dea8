package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.deadletter.DeadLetterOutputs;
import io.github.redisessync.job.deadletter.DeadLetterRecord;
import io.github.redisessync.job.deadletter.DeadLetterRejections;
import io.github.redisessync.job.deadletter.DeadLetterSink;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.rollup.RollupIndexes;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.job.sweep.CatchUpSweep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wires the production parts of the sync job from a {@link SyncJobSetup}: the source and the sink
 * take their configurations as they are, and the job's own options ({@link SyncJobOptions}) are
 * checked here.
 */
public final class SyncJobFactory {

    private SyncJobFactory() {}

    /**
     * Creates the target indexes that do not exist yet, from their mapping files, the rollup
     * indexes from their mapping files or specs, and the dead-letter index, if one is configured.
     */
    public static void prepareIndexes(SyncJobSetup settings) throws Exception {
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(
                        settings.elasticsearchUrl(), Duration.ofSeconds(5))) {
            for (IndexRule rule : settings.rules()) {
                indexes.createIndexIfAbsent(rule.index(), rule.definition());
            }
            for (RollupSpec rollup : settings.rollups()) {
                indexes.createIndexIfAbsent(rollup.targetIndex(), RollupIndexes.definition(rollup));
            }
            Optional<String> deadLetters =
                    settings.job().getOptional(SyncJobOptions.DEAD_LETTERS_INDEX);
            if (deadLetters.isPresent()) {
                indexes.createIndexIfAbsent(deadLetters.get(), DeadLetterRecord.indexDefinition());
            }
        }
    }

    /** The job with the real Redis source and Elasticsearch sink. */
    public static RedisToElasticsearchJob create(SyncJobSetup settings) {
        List<String> patterns =
                settings.rules().stream()
                        .map(rule -> rule.pattern().glob())
                        .distinct()
                        .collect(Collectors.toList());
        RedisSource source =
                RedisSource.builder()
                        .setConfiguration(settings.source())
                        .setKeyPatterns(patterns)
                        .build();
        Configuration sinkOptions = settings.sink();
        DeadLetterOutputs deadLetters = deadLetterOutputs(settings);
        RedisToElasticsearchJob job =
                new RedisToElasticsearchJob(
                        source,
                        new RecordMapper(settings.rules()),
                        ElasticsearchDocumentSinkFactory.create(
                                sinkOptions, new DeadLetterRejections(deadLetters)),
                        new DeadLetterSink(deadLetters));
        job.withRollups(settings.rollups());
        if (sweeps(settings)) {
            job.withCatchUpSweep(
                    new CatchUpSweep(
                                    settings.redisUri(),
                                    settings.elasticsearchUrl(),
                                    settings.rules(),
                                    settings.source().get(RedisSourceOptions.SCAN_COUNT))
                            .withRollupIndexes(
                                    settings.rollups().stream()
                                            .map(RollupSpec::targetIndex)
                                            .distinct()
                                            .collect(Collectors.toList())));
        }
        return job;
    }

    /**
     * Whether the job sweeps after catch-up markers: only when it tails without end. A sweep runs
     * after the first checkpoint that follows its marker, and a bounded job (no tail, or {@code
     * stopWhenIdle}) ends without one: its operators have finished before that checkpoint
     * completes, so the sweep's deletes would have nowhere to go. Such a run ends without the sweep
     * ({@code verify --repair} removes what it would have deleted); the rollups still get the
     * marker.
     */
    static boolean sweeps(SyncJobSetup settings) {
        return settings.source().get(RedisSourceOptions.TAIL_MODE) != RedisTailMode.NONE
                && !settings.source().get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE);
    }

    /**
     * Where both kinds of dead letters go: those of the mapping and the documents Elasticsearch
     * rejects; the log line is written for each in any case.
     */
    public static DeadLetterOutputs deadLetterOutputs(SyncJobSetup settings) {
        ReadableConfig job = settings.job();
        if (job.getOptional(SyncJobOptions.DEAD_LETTERS_INDEX).isPresent()) {
            return DeadLetterOutputs.index(
                    job.get(SyncJobOptions.DEAD_LETTERS_INDEX), settings.sink());
        }
        if (job.getOptional(SyncJobOptions.DEAD_LETTERS_FILE).isPresent()) {
            return DeadLetterOutputs.file(Path.of(job.get(SyncJobOptions.DEAD_LETTERS_FILE)));
        }
        return DeadLetterOutputs.log();
    }

    /** Checkpointing as the job needs it: the sink flushes its buffer on every checkpoint. */
    public static void configure(StreamExecutionEnvironment env, SyncJobSetup settings) {
        env.enableCheckpointing(
                settings.job().get(SyncJobOptions.CHECKPOINT_INTERVAL).toMillis(),
                CheckpointingMode.EXACTLY_ONCE);
        env.configure(checkpointFailures(settings));
        env.configure(checkpointStorage(settings));
    }

    /**
     * A checkpoint timeout and the consecutive failures tolerated, so that a stuck checkpoint fails
     * and the job restarts from its last checkpoint instead of hanging while it looks RUNNING. The
     * restart strategy is left to the cluster's configuration: without one, Flink restarts a
     * checkpointed job with exponential delay and without a limit on attempts.
     */
    static Configuration checkpointFailures(SyncJobSetup settings) {
        Configuration conf = new Configuration();
        conf.set(
                CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                settings.job().get(SyncJobOptions.CHECKPOINT_TIMEOUT));
        conf.set(
                CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                settings.job().get(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES));
        return conf;
    }

    /**
     * Retained checkpoints: a cancelled, failed or killed job leaves its latest completed
     * checkpoint in the checkpoint directory ({@code checkpoint.dir}, else the cluster's), so that
     * {@code flink run -s <dir>/<job id>/chk-N} and {@code local} started again resume from it.
     * Without a checkpoint directory Flink keeps checkpoints in the JobManager's memory, and there
     * is nothing to retain.
     */
    static Configuration checkpointStorage(SyncJobSetup settings) {
        Configuration conf = new Configuration();
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        Optional<String> dir = settings.job().getOptional(SyncJobOptions.CHECKPOINT_DIR);
        if (dir.isPresent()) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.get());
        }
        return conf;
    }

    /**
     * Every problem of the {@link SyncJobOptions} {@code options} holds, in their order; empty when
     * the job takes them all. The one place they are checked.
     */
    public static List<SyncJobOptionException> problems(ReadableConfig options) {
        List<SyncJobOptionException> problems = new ArrayList<>();
        positive(problems, options, SyncJobOptions.CHECKPOINT_INTERVAL);
        positive(problems, options, SyncJobOptions.CHECKPOINT_TIMEOUT);
        options.getOptional(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES)
                .filter(failures -> failures < 0)
                .ifPresent(
                        failures ->
                                problems.add(
                                        new SyncJobOptionException(
                                                SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES,
                                                "zero or more",
                                                SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES.key()
                                                        + " must not be negative, was "
                                                        + failures
                                                        + ".")));
        options.getOptional(SyncJobOptions.CHECKPOINT_DIR)
                .filter(String::isBlank)
                .ifPresent(
                        dir ->
                                problems.add(
                                        new SyncJobOptionException(
                                                SyncJobOptions.CHECKPOINT_DIR,
                                                "a directory",
                                                SyncJobOptions.CHECKPOINT_DIR.key()
                                                        + " must name a directory, was empty.")));
        if (options.getOptional(SyncJobOptions.DEAD_LETTERS_INDEX).isPresent()
                && options.getOptional(SyncJobOptions.DEAD_LETTERS_FILE).isPresent()) {
            problems.add(
                    new SyncJobOptionException(
                            SyncJobOptions.DEAD_LETTERS_FILE,
                            "one target: keep either index or file",
                            "dead-letters.index and dead-letters.file are both set; dead letters"
                                    + " go to one."));
        }
        return problems;
    }

    private static void positive(
            List<SyncJobOptionException> problems,
            ReadableConfig options,
            ConfigOption<Duration> option) {
        options.getOptional(option)
                .filter(d -> d.isZero() || d.isNegative())
                .ifPresent(
                        d ->
                                problems.add(
                                        new SyncJobOptionException(
                                                option,
                                                "a positive duration",
                                                option.key()
                                                        + " must be a positive duration, was "
                                                        + d
                                                        + ".")));
    }
}
