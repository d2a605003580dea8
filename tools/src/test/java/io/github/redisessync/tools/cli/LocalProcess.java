package io.github.redisessync.tools.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * {@code redis-es-sync local} in a JVM of its own, as {@code bin/redis-es-sync} starts it, so that
 * a test can kill it for real: {@link #kill()} is SIGKILL on Linux, {@link #interrupt()} SIGTERM
 * (what Ctrl-C does: the shutdown hooks run).
 */
final class LocalProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final Path log;

    private LocalProcess(Process process, Path output, Path log) {
        this.process = process;
        this.output = output;
        this.log = log;
    }

    /** Starts {@code redis-es-sync local <args>}; its console goes to {@code dir/console.txt}. */
    static LocalProcess start(Path dir, List<String> args) throws IOException {
        return start(dir, "local", args);
    }

    /**
     * Starts {@code redis-es-sync <subcommand> <args>}, its log in {@code dir/<subcommand>.log}.
     */
    static LocalProcess start(Path dir, String subcommand, List<String> args) throws IOException {
        Files.createDirectories(dir);
        Path target = Paths.get("target");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // The Java 17 flags Flink needs, as the launcher passes them.
        command.addAll(
                List.of(
                        Files.readString(target.resolve("launcher/jvm.options"))
                                .trim()
                                .split("\\s+")));
        command.add(
                "-Dlog4j2.configurationFile="
                        + Paths.get("..", "conf", "log4j2-local.properties").toAbsolutePath());
        command.add("-Dredis-es-sync.log.dir=" + dir);
        command.add("-Dredis-es-sync.log.name=" + subcommand);
        // The test JVM's own classpath: our classes and Flink (provided scope) with them.
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RedisEsSyncCommand.class.getName());
        command.add(subcommand);
        command.addAll(args);
        command.removeIf(String::isEmpty);
        Path output = dir.resolve("console.txt");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        return new LocalProcess(process, output, dir.resolve(subcommand + ".log"));
    }

    /** What it printed so far (console: our lines and warnings). */
    String output() {
        return read(output);
    }

    /** Its log file so far. */
    String log() {
        return read(log);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Polls the console until {@code condition} holds; fails with it once the time is over. */
    String awaitOutput(String what, Duration timeout, Predicate<String> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = output();
            if (condition.test(text)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "local exited with "
                                + process.exitValue()
                                + " before "
                                + what
                                + "\n"
                                + text);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "Timed out after " + timeout + " waiting for " + what + "\n" + text);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /**
     * Waits for it to end by itself: its exit code; fails if it still runs after {@code timeout}.
     */
    int awaitExitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Still running after " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no last checkpoint, no cancel; waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM, as Ctrl-C: the shutdown hook cancels the job; waits until it is gone. */
    void interrupt() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("local did not exit within 60 s\n" + output());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
