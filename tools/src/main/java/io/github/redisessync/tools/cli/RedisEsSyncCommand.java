package io.github.redisessync.job.cli;

import io.github.redisessync.connector.elasticsearch.ElasticsearchAccessException;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.bench.BenchCommand;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code redis-es-sync} command line: the entry point of the launcher and the job jar. */
@Command(
        name = "redis-es-sync",
        mixinStandardHelpOptions = true,
        version = "redis-es-sync 0.1.0-SNAPSHOT",
        description =
                "Keeps Elasticsearch in sync with data that lives in Redis, with Apache Flink.",
        subcommands = {
            LocalCommand.class,
            SyncCommand.class,
            VerifyCommand.class,
            BenchCommand.class,
            ReindexCommand.class,
            ReportCommand.class
        })
public class RedisEsSyncCommand implements Runnable {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_CONFIGURATION = 2;
    static final int EXIT_UNREACHABLE = 3;

    /** File-only logger (see conf/log4j2-local.properties) for stack traces users need not read. */
    private static final Logger TRACE = LoggerFactory.getLogger("io.github.redisessync.trace");

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                new CommandLine(this), "Missing a command: local, sync or verify (see --help).");
    }

    /** Set by {@code bin/redis-es-sync}: this JVM is the launcher's own, not Flink's. */
    static final String LAUNCHER_HOME = "redis-es-sync.home";

    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        boolean submitted = System.getProperty(LAUNCHER_HOME) == null;
        if (submitted && args.length > 0 && args[0].equals(SyncCommand.NAME)) {
            // `sync` submitted to Flink runs in Flink's client, or inside the JobManager (over
            // REST, in application mode), where System.exit would take the JobManager down with
            // it: a failure is an exception for Flink to report. The error line is printed above.
            if (exit != 0) {
                throw new IllegalStateException(
                        "redis-es-sync sync failed (exit code " + exit + "); see the error above.");
            }
            return;
        }
        // The launcher's JVM: the error line printed above is the whole report, and the exit
        // code tells the shell; an exception here would add a stack trace users need not read.
        System.exit(exit);
    }

    /** The parser, with errors reported as a sentence and an exit code, not a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RedisEsSyncCommand());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof EndpointChecks.EndpointException
                            || e instanceof ElasticsearchAccessException) {
                        commandLine.getErr().println("error: " + oneLine(e.getMessage()));
                        return EXIT_UNREACHABLE;
                    }
                    if (refused(e)) {
                        // 401 or 403 to a request of the command's own: no retry cures it, and it
                        // is no difference found; the server is named in the causes.
                        TRACE.error("{} refused", commandLine.getCommandName(), e);
                        commandLine.getErr().println("error: " + oneLine(causes(e)));
                        return EXIT_UNREACHABLE;
                    }
                    if (e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return EXIT_BAD_CONFIGURATION;
                    }
                    // The console gets the chain of causes; the stack trace goes to the log file.
                    TRACE.error("{} failed", commandLine.getCommandName(), e);
                    commandLine.getErr().println("error: " + oneLine(causes(e)));
                    return EXIT_FAILED;
                });
        return cli;
    }

    /** Whether a server answered 401 or 403 somewhere in the chain of causes. */
    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ResponseException) {
                int status = ((ResponseException) t).getResponse().getStatusLine().getStatusCode();
                return status == 401 || status == 403;
            }
        }
        return false;
    }

    /** The client's messages put the server's answer on a line of its own; the console gets one. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** "message: cause message: ..." without repeats, e.g. of Flink's wrapped job failures. */
    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(message) < 0) {
                sb.append(sb.length() == 0 ? "" : ": caused by ").append(message);
            }
        }
        return sb.toString();
    }
}
