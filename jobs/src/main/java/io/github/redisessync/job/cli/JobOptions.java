package io.github.redisessync.job.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.config.ConfigLoader;
import io.github.redisessync.job.config.SettingsFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every command that runs the job shares: the configuration file and its overrides.
 *
 * <p>Precedence, lowest first: the file ({@code --config}), environment variables ({@code
 * REDIS_URL}, {@code ES_URL}, {@code REDIS_ES_SYNC_<PATH>}), {@code --set PATH=VALUE}, then the
 * specific options below and the commands' {@code --redis} / {@code --es}. Options without a value
 * given change nothing, so the file's value or the default applies.
 */
public class JobOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The YAML job configuration (see conf/README.md). Without it: the demo"
                            + " mappings, user:*=users and order:*=orders.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "PATH=VALUE",
            description =
                    "Overrides one setting of the configuration, e.g. --set"
                            + " sink.bulk-flush-max-actions=500 or --set"
                            + " 'mappings[0].index=users-v2'; the value is read as YAML;"
                            + " repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--index",
            paramLabel = "PATTERN=INDEX",
            description =
                    "Keys matching the Redis glob PATTERN become documents of INDEX (hashes);"
                            + " repeatable; replaces the configuration's mappings.")
    List<String> indexRules = new ArrayList<>();

    @Option(
            names = "--mappings",
            paramLabel = "DIR",
            description =
                    "Directory of index mapping files, <index>.json (elasticsearch.mappings-dir);"
                            + " an index without one gets Elasticsearch's dynamic mapping."
                            + " Default: conf/mappings of the project, or mappings/ next to the"
                            + " configuration file.")
    Path mappingsDir;

    @Option(
            names = "--scan-count",
            paramLabel = "N",
            description = "SCAN COUNT hint (source.scan-count). Default: 1000.")
    Integer scanCount;

    @Option(
            names = "--read-batch-size",
            paramLabel = "N",
            description =
                    "Keys read per pipelined round trip (source.read-batch-size). Default: 500.")
    Integer readBatchSize;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "Checkpoint interval, e.g. 500ms, 10s, 1m; the sink flushes on each"
                            + " (checkpoint.interval). Default: 10s.")
    Duration checkpointInterval;

    @Option(
            names = "--checkpoint-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long a checkpoint may take before it fails, e.g. 90s, 5min"
                            + " (checkpoint.timeout). Default: 2min.")
    Duration checkpointTimeout;

    @Option(
            names = "--tolerable-checkpoint-failures",
            paramLabel = "N",
            description =
                    "Consecutive failed checkpoints tolerated; one more fails the job, which Flink"
                            + " restarts from its last checkpoint"
                            + " (checkpoint.tolerable-failures). Default: 3.")
    Integer tolerableCheckpointFailures;

    @Option(
            names = "--tail",
            paramLabel = "KIND",
            description =
                    "How changes are followed during and after the snapshot (source.tail):"
                            + " keyspace (keyspace notifications; the server needs"
                            + " notify-keyspace-events, e.g. KEA), channel (writers PUBLISH the"
                            + " key or a JSON change record on --channel), stream (writers XADD"
                            + " the key to --stream in the same step as the write; a restored"
                            + " job reads on from its checkpoint instead of rescanning) or none"
                            + " (the snapshot only). Default: keyspace.")
    String tail;

    @Option(
            names = "--channel",
            paramLabel = "NAME",
            description = "The channel of --tail channel (source.channel). Default: mychannel.")
    String channel;

    @Option(
            names = "--stream",
            paramLabel = "NAME",
            description =
                    "The Redis Stream of --tail stream (source.stream)."
                            + " Default: redis-es-sync:changes.")
    String stream;

    @Option(
            names = "--configure-notifications",
            description =
                    "With --tail keyspace, add missing notify-keyspace-events flags with CONFIG"
                            + " SET instead of failing at start"
                            + " (source.configure-notifications).")
    Boolean configureNotifications;

    /** {@code local}'s {@code --state-dir}: its option, set here as {@code checkpoint.dir}. */
    private Path stateDir;

    /** Sets {@code local}'s {@code --state-dir}, an option of that command alone. */
    public void stateDir(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Where {@code REDIS_URL}, {@code ES_URL} and {@code REDIS_ES_SYNC_*} are read. */
    Map<String, String> environment = System.getenv();

    /**
     * The configuration with every override applied, checked for its form (unknown keys, wrong
     * kinds of values); nothing is contacted. {@code redis} / {@code es} are the commands' options.
     */
    public SettingsFactory configuration(String redis, String es) {
        ConfigLoader loader = ConfigLoader.read(config).applyEnvironment(environment);
        for (String set : sets) {
            loader.set(set, "--set " + set);
        }
        if (!indexRules.isEmpty()) {
            ArrayNode mappings = JsonNodeFactory.instance.arrayNode();
            for (String spec : indexRules) {
                int eq = spec.lastIndexOf('=');
                if (eq <= 0 || eq == spec.length() - 1) {
                    throw new IllegalArgumentException(
                            "--index '" + spec + "' is not PATTERN=INDEX, e.g. user:*=users.");
                }
                mappings.addObject()
                        .put("pattern", spec.substring(0, eq))
                        .put("index", spec.substring(eq + 1));
            }
            loader.set(List.of("mappings"), mappings, "--index");
        }
        if (mappingsDir != null) {
            setText(
                    loader,
                    "elasticsearch.mappings-dir",
                    mappingsDir.toAbsolutePath(),
                    "--mappings");
        }
        setText(loader, "redis.url", redis, "--redis");
        setText(loader, "elasticsearch.url", es, "--es");
        setText(loader, "source.scan-count", scanCount, "--scan-count");
        setText(loader, "source.read-batch-size", readBatchSize, "--read-batch-size");
        setText(loader, "source.tail", tail, "--tail");
        setText(loader, "source.channel", channel, "--channel");
        setText(loader, "source.stream", stream, "--stream");
        setText(
                loader,
                "source.configure-notifications",
                configureNotifications,
                "--configure-notifications");
        setText(loader, "checkpoint.dir", stateDir, "--state-dir");
        if (checkpointInterval != null) {
            setText(
                    loader,
                    "checkpoint.interval",
                    checkpointInterval.toMillis() + "ms",
                    "--checkpoint-interval");
        }
        if (checkpointTimeout != null) {
            setText(
                    loader,
                    "checkpoint.timeout",
                    checkpointTimeout.toMillis() + "ms",
                    "--checkpoint-timeout");
        }
        setText(
                loader,
                "checkpoint.tolerable-failures",
                tolerableCheckpointFailures,
                "--tolerable-checkpoint-failures");
        return new SettingsFactory(loader.load(), defaultMappingsDir());
    }

    /** Settings for commands whose endpoints are required (sync, verify). */
    public SyncJobSetup toSettings(String redis, String es) {
        return configuration(redis, es).settings(null, null, false);
    }

    private static void setText(ConfigLoader loader, String path, Object value, String option) {
        if (value != null) {
            List<Object> segments = new ArrayList<>(List.of((Object[]) path.split("\\.")));
            loader.set(segments, JsonNodeFactory.instance.textNode(value.toString()), option);
        }
    }

    private static Path defaultMappingsDir() {
        String home = System.getProperty("redis-es-sync.home");
        return (home != null ? Paths.get(home) : Paths.get("")).resolve("conf").resolve("mappings");
    }
}
