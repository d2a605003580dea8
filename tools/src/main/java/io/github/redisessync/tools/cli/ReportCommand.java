package io.github.redisessync.tools.cli;

import io.github.redisessync.connector.elasticsearch.ElasticsearchRestClients;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.job.cli.JobOptions;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.client.RollupSource;
import io.github.redisessync.tools.report.RollupTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code report}: the rollups as tables, and with {@code --compare} beside the live aggregation.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the rollup documents of each configured rollup as a table (the demo's: users"
                    + " by city, orders per minute by status).",
            "--compare runs the same aggregation live in Elasticsearch over the synced documents"
                    + " and shows it beside them, marking differing rows with ≠."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:printed (with --compare: every row equal)",
            "1:with --compare, some row differs",
            "2:bad options or configuration",
            "3:Elasticsearch could not be reached"
        })
public class ReportCommand implements Callable<Integer> {

    @Option(
            names = "--redis",
            paramLabel = "URL",
            description =
                    "redis://host:port (redis.url, env REDIS_URL); accepted for the same"
                            + " configuration as the other commands, not contacted.")
    String redis;

    @Option(
            names = "--es",
            paramLabel = "URL",
            description = "http[s]://host:port (elasticsearch.url, env ES_URL).")
    String es;

    @Option(
            names = "--compare",
            description =
                    "Also aggregates the synced documents in Elasticsearch and marks every"
                            + " difference; exits 1 when there is one.")
    boolean compare;

    @Option(
            names = "--limit",
            defaultValue = "50",
            paramLabel = "N",
            description =
                    "Equal rows shown per rollup (differing rows are always shown)."
                            + " Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin JobOptions job;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must not be negative, was " + limit);
        }
        // Redis is not read: a placeholder where the configuration names none.
        SyncJobSetup settings =
                job.configuration(redis, es).settings("redis://127.0.0.1:6379", null, false);
        EndpointChecks.searchServer(settings.elasticsearchUrl());
        PrintWriter out = spec.commandLine().getOut();
        if (settings.rollups().isEmpty()) {
            out.println("No rollups are configured.");
            out.flush();
            return 0;
        }
        int differing = 0;
        try (RestClient client =
                ElasticsearchRestClients.create(
                        settings.elasticsearchUrl(),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(60))) {
            RollupSource rollups = new RollupSource(client);
            for (RollupSpec rollup : settings.rollups()) {
                differing +=
                        RollupTable.print(
                                out,
                                rollup,
                                rollups.written(rollup),
                                compare
                                        ? rollups.aggregated(rollup, settings.sourceIndexOf(rollup))
                                        : null,
                                limit);
            }
        }
        out.flush();
        return differing == 0 ? 0 : CommandRunner.EXIT_FAILED;
    }
}
