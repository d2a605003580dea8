package io.github.redisessync.job.cli;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobSettings;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The options every command that runs the job shares. */
public class JobOptions {
    private static final Logger LOG = LoggerFactory.getLogger(JobOptions.class);

    @Option(
            names = "--index",
            paramLabel = "PATTERN=INDEX",
            description =
                    "Keys matching the Redis glob PATTERN become documents of INDEX; repeatable."
                            + " Default: user:*=users and order:*=orders (the demo data).")
    List<String> indexRules = new ArrayList<>();

    @Option(
            names = "--mappings",
            paramLabel = "DIR",
            description =
                    "Directory of index mapping files, <index>.json; an index without one gets"
                            + " Elasticsearch's dynamic mapping. Default: conf/mappings of the"
                            + " project.")
    Path mappingsDir;

    @Option(
            names = "--scan-count",
            defaultValue = "1000",
            description = "SCAN COUNT hint. Default: ${DEFAULT-VALUE}.")
    int scanCount;

    @Option(
            names = "--read-batch-size",
            defaultValue = "500",
            description = "Keys read per pipelined round trip. Default: ${DEFAULT-VALUE}.")
    int readBatchSize;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "Checkpoint interval, e.g. 500ms, 10s, 1m; the sink flushes on each."
                            + " Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    @Option(
            names = "--tail",
            paramLabel = "KIND",
            defaultValue = "keyspace",
            description =
                    "How changes are followed during and after the snapshot: keyspace (keyspace"
                            + " notifications; the server needs notify-keyspace-events, e.g. KEA),"
                            + " channel (writers PUBLISH the key or a JSON change record on"
                            + " --channel) or none (the snapshot only). Default: ${DEFAULT-VALUE}.")
    String tail;

    @Option(
            names = "--channel",
            paramLabel = "NAME",
            defaultValue = "mychannel",
            description = "The channel of --tail channel. Default: ${DEFAULT-VALUE}.")
    String channel;

    @Option(
            names = "--configure-notifications",
            description =
                    "With --tail keyspace, add missing notify-keyspace-events flags with CONFIG"
                            + " SET instead of failing at start.")
    boolean configureNotifications;

    /** Settings for the given endpoints, with mapping files read and validated. */
    SyncJobSettings toSettings(String redisUri, String elasticsearchUrl) {
        return toSettings(redisUri, elasticsearchUrl, false);
    }

    /** The same; with {@code stopWhenIdle} the tail ends once the snapshot is synced. */
    SyncJobSettings toSettings(String redisUri, String elasticsearchUrl, boolean stopWhenIdle) {
        List<String> specs =
                indexRules.isEmpty() ? List.of("user:*=users", "order:*=orders") : indexRules;
        Path dir = mappingsDir != null ? mappingsDir : defaultMappingsDir();
        List<IndexRule> rules = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException(
                        "--index '" + spec + "' is not PATTERN=INDEX, e.g. user:*=users.");
            }
            String index = spec.substring(eq + 1);
            Path file = dir.resolve(index + ".json");
            IndexDefinition definition;
            if (Files.isRegularFile(file)) {
                definition = IndexDefinition.fromFile(file);
            } else {
                LOG.info("No mapping file {}; index {} gets dynamic mapping.", file, index);
                definition = IndexDefinition.dynamic();
            }
            rules.add(new IndexRule(KeyPattern.of(spec.substring(0, eq)), index, definition));
        }
        return new SyncJobSettings(
                        redisUri,
                        elasticsearchUrl,
                        rules,
                        scanCount,
                        readBatchSize,
                        checkpointInterval)
                .withTail(tailMode(), channel, configureNotifications, stopWhenIdle);
    }

    private RedisTailMode tailMode() {
        switch (tail == null ? "" : tail.toLowerCase(Locale.ROOT)) {
            case "keyspace":
                return RedisTailMode.KEYSPACE;
            case "channel":
                return RedisTailMode.CHANNEL;
            case "none":
                return RedisTailMode.NONE;
            default:
                throw new IllegalArgumentException(
                        "--tail must be keyspace, channel or none, was '" + tail + "'.");
        }
    }

    private static Path defaultMappingsDir() {
        String home = System.getProperty("redis-es-sync.home");
        return (home != null ? Paths.get(home) : Paths.get("")).resolve("conf").resolve("mappings");
    }
}
