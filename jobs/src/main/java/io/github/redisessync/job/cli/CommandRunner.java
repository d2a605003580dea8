package io.github.redisessync.job.cli;

import io.github.redisessync.connector.elasticsearch.ElasticsearchAccessException;
import io.github.redisessync.job.EndpointChecks;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs a {@code redis-es-sync} command line, the job jar's ({@link JobJarCommand}) or the tools'
 * whole CLI, the same way: errors as one sentence and an exit code, not a stack trace.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     CommandRunner.main(CommandRunner.commandLine(new JobJarCommand()), args);
 * }
 * }</pre>
 */
public final class CommandRunner {

    /** {@code --version} of every command line. */
    public static final String VERSION = "redis-es-sync 0.1.0-SNAPSHOT";

    /** What {@code --help} says of every command line first. */
    public static final String DESCRIPTION =
            "Keeps Elasticsearch in sync with data that lives in Redis, with Apache Flink.";

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_CONFIGURATION = 2;
    public static final int EXIT_UNREACHABLE = 3;

    /** Set by {@code bin/redis-es-sync}: this JVM is the launcher's own, not Flink's. */
    public static final String LAUNCHER_HOME = "redis-es-sync.home";

    private CommandRunner() {}

    /** Runs {@code args} and ends as the JVM it runs in expects: see the comments below. */
    public static void main(CommandLine cli, String[] args) {
        int exit = cli.execute(args);
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

    /** What {@code command}'s {@code run()} throws when no subcommand is given. */
    public static CommandLine.ParameterException missingCommand(Object command, String names) {
        return new CommandLine.ParameterException(
                new CommandLine(command), "Missing a command: " + names + " (see --help).");
    }

    /** The parser of {@code command}, with errors reported as a sentence and an exit code. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
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
                        trace().error("{} refused", commandLine.getCommandName(), e);
                        commandLine.getErr().println("error: " + oneLine(causes(e)));
                        return EXIT_UNREACHABLE;
                    }
                    if (e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return EXIT_BAD_CONFIGURATION;
                    }
                    // The console gets the chain of causes; the stack trace goes to the log file.
                    trace().error("{} failed", commandLine.getCommandName(), e);
                    commandLine.getErr().println("error: " + oneLine(causes(e)));
                    return EXIT_FAILED;
                });
        return cli;
    }

    /**
     * File-only logger (see conf/log4j2-local.properties) for stack traces users need not read;
     * looked up only when needed, so that {@code java -jar} of the job jar, which has no logging
     * (Flink brings it), still prints {@code --help}.
     */
    private static Logger trace() {
        return LoggerFactory.getLogger("io.github.redisessync.trace");
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

    /**
     * "message: cause message: ..." without repeats. Wrappers of a cause (Flink's "Job execution
     * failed.", "Global failure triggered by OperatorCoordinator ...", a future's exception that
     * only repeats its cause) are left out: they say where a failure passed, and put the reason at
     * the end of a long line.
     */
    public static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            boolean wrapper =
                    t.getCause() != null
                            && (t.getClass().getName().startsWith("org.apache.flink.")
                                    || message.equals(t.getCause().toString()));
            if (!wrapper && sb.indexOf(message) < 0) {
                sb.append(sb.length() == 0 ? "" : ": caused by ").append(message);
            }
        }
        return sb.toString();
    }
}
