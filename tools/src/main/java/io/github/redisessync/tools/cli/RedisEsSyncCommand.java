package io.github.redisessync.tools.cli;

import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.job.cli.JobJarCommand;
import io.github.redisessync.job.cli.SyncCommand;
import io.github.redisessync.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code redis-es-sync} command line of the tools, the launcher's entry point: the job's {@code
 * sync} (the job jar runs it alone, see {@link JobJarCommand}) and the tools around it.
 */
@Command(
        name = "redis-es-sync",
        mixinStandardHelpOptions = true,
        version = CommandRunner.VERSION,
        description = CommandRunner.DESCRIPTION,
        subcommands = {
            LocalCommand.class,
            SyncCommand.class,
            VerifyCommand.class,
            BenchCommand.class,
            ReindexCommand.class,
            ReportCommand.class
        })
public class RedisEsSyncCommand implements Runnable {

    @Override
    public void run() {
        throw CommandRunner.missingCommand(this, "local, sync or verify");
    }

    public static void main(String[] args) {
        CommandRunner.main(commandLine(), args);
    }

    /** The parser, with errors reported as a sentence and an exit code, not a stack trace. */
    static CommandLine commandLine() {
        return CommandRunner.commandLine(new RedisEsSyncCommand());
    }
}
