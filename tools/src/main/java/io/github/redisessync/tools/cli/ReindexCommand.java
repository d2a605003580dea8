package io.github.redisessync.tools.cli;

import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.job.cli.DurationConverter;
import io.github.redisessync.job.cli.EndpointOptions;
import io.github.redisessync.job.cli.JobOptions;
import io.github.redisessync.tools.reindex.CronSchedule;
import io.github.redisessync.tools.reindex.ReindexException;
import io.github.redisessync.tools.reindex.ReindexResult;
import io.github.redisessync.tools.reindex.ReindexScheduler;
import io.github.redisessync.tools.reindex.Reindexer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code reindex}: rebuild each index into a fresh one and move its alias there atomically. */
@Command(
        name = "reindex",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuilds each configured index, used as an alias, into a fresh <alias>-<UTC time> with"
                    + " bulk-load settings, checks it, and moves the alias in one atomic call.",
            "Changes made in Redis while it runs are re-read into the new index (the --tail"
                    + " subscription); a sync job may keep writing through the alias.",
            "A concrete index named like the alias (as sync creates them) is replaced by the alias"
                    + " at the swap.",
            "With --schedule or --every it stays up and runs on schedule, one run at a time."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:reindexed, the alias moved",
            "1:a step failed (named in the message; before the swap the alias is unchanged)",
            "2:bad options or configuration",
            "3:Redis or Elasticsearch could not be reached"
        })
public class ReindexCommand implements Callable<Integer> {

    @Mixin EndpointOptions endpoints;

    @Option(
            names = "--keep",
            defaultValue = "2",
            paramLabel = "N",
            description =
                    "Old <alias>-<time> indexes to keep after the swap; older ones are deleted."
                            + " Default: ${DEFAULT-VALUE}.")
    int keep;

    @Option(
            names = "--schedule",
            paramLabel = "CRON",
            description =
                    "Stay up and reindex at each minute this five-field cron expression matches"
                            + " (local time), e.g. \"30 3 * * *\".")
    String schedule;

    @Option(
            names = "--every",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Stay up and reindex at this interval, e.g. 6h.")
    Duration every;

    @Option(
            names = "--max-pending-changes",
            defaultValue = "1000000",
            paramLabel = "N",
            description =
                    "Distinct keys changed during a run that it re-reads at most; beyond, the"
                            + " run fails before the swap. Default: ${DEFAULT-VALUE}.")
    int maxPendingChanges;

    @Mixin JobOptions job;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (schedule != null && every != null) {
            throw new IllegalArgumentException("Give --schedule or --every, not both.");
        }
        ReindexScheduler scheduler =
                schedule != null
                        ? ReindexScheduler.cron(CronSchedule.parse(schedule))
                        : every != null ? ReindexScheduler.every(every) : null;
        SyncJobSetup settings = job.toSettings(endpoints.redis, endpoints.es);
        EndpointChecks.redisVersion(settings.redisUri());
        EndpointChecks.searchServer(settings.elasticsearchUrl());
        Reindexer reindexer =
                new Reindexer(settings, keep, StreamExecutionEnvironment::getExecutionEnvironment)
                        .withMaxPendingChanges(maxPendingChanges);
        PrintWriter out = spec.commandLine().getOut();
        if (scheduler == null) {
            try {
                reindexer.run().forEach(result -> out.println("reindexed " + result));
                return 0;
            } catch (ReindexException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return CommandRunner.EXIT_FAILED;
            } finally {
                out.flush();
            }
        }
        scheduler.loop(
                () -> {
                    List<ReindexResult> results = reindexer.run();
                    return results.stream().map(Object::toString).collect(Collectors.joining("; "));
                },
                0);
        return 0;
    }
}
