package io.github.redisessync.job.cli;

import picocli.CommandLine.Command;

/**
 * The job jar's command line, its {@code Main-Class}: {@code sync} only, as a Flink cluster runs
 * it. The tools' {@code redis-es-sync} command (local, verify, reindex, ...) has the same {@code
 * sync} among its commands.
 *
 * <pre>{@code
 * flink run redis-es-sync-jobs-<version>-job.jar sync --redis URL --es URL [--config x.yaml]
 * }</pre>
 */
@Command(
        name = "redis-es-sync",
        mixinStandardHelpOptions = true,
        version = CommandRunner.VERSION,
        description = CommandRunner.DESCRIPTION,
        subcommands = {SyncCommand.class})
public class JobJarCommand implements Runnable {

    @Override
    public void run() {
        throw CommandRunner.missingCommand(this, "sync");
    }

    public static void main(String[] args) {
        CommandRunner.main(CommandRunner.commandLine(new JobJarCommand()), args);
    }
}
