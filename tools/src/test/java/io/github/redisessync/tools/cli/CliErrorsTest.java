package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.cli.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.FlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A configuration that cannot run ends every command with one error line naming it, exit code 2 and
 * no stack trace, also in the launcher's own JVM. Nothing here reaches a server: each error comes
 * before any connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliErrorsTest {

    /** Unreachable on purpose: a test that got this far would fail to connect, not hang. */
    private static final String[] ENDPOINTS = {
        "--redis", "redis://127.0.0.1:1", "--es", "http://127.0.0.1:1"
    };

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "local", "verify", "reindex", "report"})
    void aMissingOrMalformedConfigurationIsOneErrorLine(String command) throws IOException {
        Path missing = dir.resolve("absent.yaml");
        CliRun run = CliRun.run(command, "--config", missing.toString());
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err)
                .isEqualTo("error: Configuration file " + missing + " does not exist." + newline());

        Path malformed = Files.writeString(dir.resolve("bad.yaml"), "mappings: [\n");
        run = CliRun.run(command, "--config", malformed.toString());
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err)
                .startsWith("error: " + malformed + ": line 1, column 12: not valid YAML")
                .doesNotContain("Exception", "\tat ");
        assertThat(run.err.strip().lines()).hasSize(1);
        assertThat(run.err.strip())
                .endsWith(
                        "not valid YAML: while parsing a flow node; expected the node content,"
                                + " but found '<stream end>'");
    }

    @Test
    void badCheckpointFailureSettingsNameTheOption() {
        CliRun run = CliRun.run(args("sync", "--tolerable-checkpoint-failures", "-1"));
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err)
                .contains(
                        "checkpoint.tolerable-failures (from --tolerable-checkpoint-failures):"
                                + " expected zero or more, was -1.");

        run = CliRun.run(args("local", "--checkpoint-timeout", "0s"));
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err)
                .contains(
                        "checkpoint.timeout (from --checkpoint-timeout): expected a positive"
                                + " duration, was '0ms'.");
    }

    /**
     * {@code bin/redis-es-sync sync --config bad.yaml}: the launcher's JVM (it sets {@code
     * redis-es-sync.home}) exits with the code instead of throwing, so no {@code Exception in
     * thread "main"} follows the error line.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "local", "verify"})
    void theLauncherPrintsTheErrorLineWithoutAStackTrace(String command) throws Exception {
        Path malformed = Files.writeString(dir.resolve("bad.yaml"), "mappings: [\n");
        Path home = Paths.get("..").toAbsolutePath().normalize();
        List<String> java = new ArrayList<>();
        java.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add("-D" + CommandRunner.LAUNCHER_HOME + "=" + home);
        java.add("-Dredis-es-sync.log.dir=" + dir);
        java.add(
                "-Dlog4j2.configurationFile="
                        + home.resolve("conf").resolve("log4j2-local.properties"));
        java.add(RedisEsSyncCommand.class.getName());
        java.add(command);
        java.add("--config");
        java.add(malformed.toString());
        Process process =
                new ProcessBuilder(java)
                        .redirectOutput(dir.resolve("out.txt").toFile())
                        .redirectError(dir.resolve("err.txt").toFile())
                        .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("redis-es-sync " + command + " did not exit within 60 s");
        }
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(err).isEqualTo(2);
        assertThat(err)
                .startsWith("error: " + malformed + ": line 1, column 12: not valid YAML")
                .doesNotContain("Exception in thread", "\tat ");
    }

    private static String[] args(String... args) {
        String[] all = new String[args.length + ENDPOINTS.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(ENDPOINTS, 0, all, args.length, ENDPOINTS.length);
        return all;
    }

    private static String newline() {
        return System.lineSeparator();
    }

    @Test
    void aFailedJobIsReportedByItsReasonWithoutFlinksWrappers() {
        Throwable failure =
                new ExecutionException(
                        new JobExecutionException(
                                new JobID(),
                                "Job execution failed.",
                                new FlinkException(
                                        "Global failure triggered by OperatorCoordinator for 'Source'.",
                                        new IllegalStateException(
                                                "Redis at redis://h:1/0 lacks 'Kg$lshzxe'.",
                                                new IOException("CONFIG GET refused")))));
        assertThat(CommandRunner.causes(failure))
                .isEqualTo(
                        "Redis at redis://h:1/0 lacks 'Kg$lshzxe'.: caused by CONFIG GET refused");
        // A Flink exception that is the reason itself stays.
        assertThat(CommandRunner.causes(new FlinkException("Checkpoint expired.")))
                .isEqualTo("Checkpoint expired.");
    }
}
