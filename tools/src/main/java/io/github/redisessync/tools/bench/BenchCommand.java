package io.github.redisessync.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code redis-es-sync bench}: benchmarks with their baselines measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks, each with its baseline in the same run.",
        subcommands = {SnapshotBenchmark.class, SyncBenchmark.class})
public class BenchCommand implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                new CommandLine(this), "Missing a benchmark: snapshot or sync (see bench --help).");
    }
}
