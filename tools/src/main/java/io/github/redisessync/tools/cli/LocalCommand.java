package io.github.redisessync.tools.cli;

import io.github.redisessync.job.cli.JobOptions;
import io.github.redisessync.job.config.SettingsFactory;
import io.github.redisessync.tools.local.LocalRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code local}: the job in a MiniCluster on this machine, with embedded servers by default. */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the sync job in a Flink MiniCluster on this machine, with the Flink web UI.",
            "Without --redis / --es (or redis.url / elasticsearch.url in --config, or REDIS_URL /"
                    + " ES_URL) it starts an embedded Redis and Elasticsearch and stops them on"
                    + " exit."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:synced",
            "1:the job failed, some keys were not synced (dead letters), or a rollup differs"
                    + " from the live aggregation",
            "2:bad options or configuration",
            "3:Redis or Elasticsearch could not be reached"
        })
public class LocalCommand implements Callable<Integer> {

    @Option(
            names = "--redis",
            paramLabel = "URL",
            description = "redis://[user:password@]host:port[/db]; default: embedded.")
    String redis;

    @Option(
            names = "--es",
            paramLabel = "URL",
            description = "http[s]://host:port; default: embedded.")
    String es;

    @Option(
            names = "--demo",
            paramLabel = "N",
            description =
                    "Loads N records of each kind of --dataset into Redis first: demo, N users"
                            + " (user:<id>) and N orders (order:<id>); shop, for"
                            + " conf/shop.yaml, N users, orders and products and N sessions.")
    int demo;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            defaultValue = "demo",
            description = "The data --demo loads: demo or shop. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            names = "--until-synced",
            description =
                    "Exits once the snapshot is done, no change is pending, every key read is"
                            + " in Elasticsearch and every rollup equals the live aggregation"
                            + " (waiting up to 60 s for that), printing a summary. Without it the"
                            + " tail keeps syncing changes until Ctrl-C.")
    boolean untilSynced;

    @Option(
            names = "--web-port",
            paramLabel = "PORT",
            description = "Port of the Flink web UI; default: a free port, printed at start.")
    int webPort;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of the job. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Keeps the latest completed checkpoint in DIR and resumes from it when"
                            + " started again (checkpoint.dir); only with --redis and --es and a"
                            + " tail without end (not --until-synced, not --tail none). Default:"
                            + " .redis-es-sync/state/<redis>_<es> in the working directory.")
    Path stateDir;

    @Option(
            names = "--fresh",
            description =
                    "Deletes the state directory's checkpoints and starts afresh instead of"
                            + " resuming.")
    boolean fresh;

    @Mixin JobOptions job;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!dataset.equals("demo") && !dataset.equals("shop")) {
            throw new IllegalArgumentException(
                    "--dataset must be demo or shop, was '" + dataset + "'.");
        }
        if (demo < 0) {
            throw new IllegalArgumentException("--demo must not be negative, was " + demo);
        }
        if (parallelism <= 0) {
            throw new IllegalArgumentException(
                    "--parallelism must be positive, was " + parallelism);
        }
        job.stateDir(stateDir);
        // The whole configuration is checked here, before any server is started or contacted.
        SettingsFactory configuration = job.configuration(redis, es);
        configuration.settings("redis://127.0.0.1:6379", "http://127.0.0.1:9200", untilSynced);
        LocalRunner.Request request = new LocalRunner.Request();
        request.redisUri = configuration.redisUrl();
        request.elasticsearchUrl = configuration.elasticsearchUrl();
        request.dataset = dataset;
        request.demoUsers = demo;
        request.untilSynced = untilSynced;
        request.webPort = webPort;
        request.parallelism = parallelism;
        request.fresh = fresh;
        // --until-synced: the tail ends once the snapshot is done and no change is pending, so
        // the job finishes and the summary below is of a consistent state.
        request.settings =
                (redisUri, esUrl) -> configuration.settings(redisUri, esUrl, untilSynced);
        try (LocalRunner runner = new LocalRunner(request, spec.commandLine().getOut())) {
            return runner.run();
        }
    }
}
