package io.github.redisessync.job.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ChangeWriter} in a JVM of its own, with this test's classpath: a writer the job cannot
 * share a thread, a lock or a client with, as a user's application would be.
 */
final class WriterProcess implements AutoCloseable {
    private static final Pattern DONE = Pattern.compile("done changes=(\\d+) failed=(\\d+)");

    /** What the writer did; {@code endNanos} is {@link System#nanoTime()} at its last write. */
    record Result(long changes, long failed, long endNanos) {}

    private final Process process;
    private final Thread reader;
    private volatile long progress;
    private volatile Result result;
    private final List<String> output = new ArrayList<>();

    private WriterProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "writer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a writer on {@code data} at {@code perSecond}, for {@code changes} or {@code time}.
     */
    static WriterProcess start(
            String redisUri, FaultData data, int perSecond, long changes, Duration time, long seed)
            throws IOException {
        return start(redisUri, data, perSecond, changes, time, seed, List.of());
    }

    /**
     * As {@link #start(String, FaultData, int, long, Duration, long)}, every change appended to
     * {@code stream} (trimmed to about {@code maxLength}, 0: never) by the change publisher.
     */
    static WriterProcess startPublishing(
            String redisUri,
            FaultData data,
            int perSecond,
            long changes,
            Duration time,
            long seed,
            String stream,
            long maxLength)
            throws IOException {
        return start(
                redisUri,
                data,
                perSecond,
                changes,
                time,
                seed,
                List.of(stream, String.valueOf(maxLength)));
    }

    private static WriterProcess start(
            String redisUri,
            FaultData data,
            int perSecond,
            long changes,
            Duration time,
            long seed,
            List<String> streamArgs)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.addAll(
                List.of(
                        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChangeWriter.class.getName(),
                        redisUri,
                        data.prefix(),
                        String.valueOf(data.users()),
                        String.valueOf(data.orders()),
                        String.valueOf(perSecond),
                        String.valueOf(changes),
                        String.valueOf(time.toSeconds()),
                        String.valueOf(seed)));
        command.addAll(streamArgs);
        return new WriterProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("progress ")) {
                    progress = Long.parseLong(line.substring(9).trim());
                    continue;
                }
                Matcher done = DONE.matcher(line);
                if (done.matches()) {
                    result =
                            new Result(
                                    Long.parseLong(done.group(1)),
                                    Long.parseLong(done.group(2)),
                                    System.nanoTime());
                }
                synchronized (output) {
                    if (output.size() < 200) {
                        output.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Changes acknowledged so far, as last reported (once a second). */
    long progress() {
        return progress;
    }

    /** Asks the writer to end now, as if its time were up; {@link #awaitDone} then returns. */
    void stop() throws IOException {
        process.getOutputStream().write('\n');
        process.getOutputStream().flush();
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** Waits for the writer to stop by itself; fails with its output if it did not or failed. */
    Result awaitDone(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The writer did not stop within " + timeout + outputText());
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        if (process.exitValue() != 0 || result == null) {
            throw new AssertionError(
                    "The writer exited with " + process.exitValue() + outputText());
        }
        return result;
    }

    private String outputText() {
        synchronized (output) {
            return "\n" + String.join("\n", output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
