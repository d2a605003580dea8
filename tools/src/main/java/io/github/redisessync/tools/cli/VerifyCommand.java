package io.github.redisessync.tools.cli;

import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.job.cli.EndpointOptions;
import io.github.redisessync.job.cli.JobOptions;
import io.github.redisessync.tools.verify.SyncVerifier;
import io.github.redisessync.tools.verify.VerifyReport;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: is every key in Elasticsearch as the job would write it, and nothing else? */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Compares Redis and Elasticsearch for each key pattern: documents missing, differing"
                    + " (after the mapping) and extra, with a sample of each.",
            "Streams both sides in batches, so memory does not grow with the number of keys."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:equal (with --repair: every difference repaired)",
            "1:differences found (with --repair: some could not be repaired)",
            "2:bad options or configuration",
            "3:Redis or Elasticsearch could not be reached"
        })
public class VerifyCommand implements Callable<Integer> {

    @Mixin EndpointOptions endpoints;

    @Option(
            names = "--repair",
            description =
                    "Writes the missing and differing documents and deletes the extra ones, with"
                            + " versions from Redis's clock so that newer writes are kept.")
    boolean repair;

    @Option(
            names = "--sample",
            defaultValue = "10",
            paramLabel = "N",
            description = "Differences of each kind to list per index. Default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(
            names = "--batch-size",
            defaultValue = "500",
            paramLabel = "N",
            description = "Keys and documents compared per round trip. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin JobOptions job;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (batchSize <= 0 || sample < 0) {
            throw new IllegalArgumentException(
                    "--batch-size must be positive and --sample not negative, were "
                            + batchSize
                            + " and "
                            + sample);
        }
        SyncJobSetup settings = job.toSettings(endpoints.redis, endpoints.es);
        EndpointChecks.redisVersion(settings.redisUri());
        EndpointChecks.searchServer(settings.elasticsearchUrl());
        List<VerifyReport> reports = new SyncVerifier(settings, batchSize, sample, repair).run();
        boolean ok = true;
        for (VerifyReport report : reports) {
            report.print(spec.commandLine().getOut(), repair);
            ok &= repair ? report.repairedAll() : report.isEqual();
        }
        spec.commandLine().getOut().flush();
        return ok ? 0 : CommandRunner.EXIT_FAILED;
    }
}
