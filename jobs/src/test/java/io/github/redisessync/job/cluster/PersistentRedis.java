package io.github.redisessync.job.cluster;

import io.github.redisessync.embedded.RedisProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code redis-server} of one test's own that it may kill and start again on the same port with
 * the same data: append-only file with {@code appendfsync always}, so every write Redis
 * acknowledged is on disk before the kill. Keyspace notifications on, as the job needs them.
 *
 * <p>The test's own server, unlike the shared one: a test that kills clients or the server must not
 * touch what other tests use. A {@code sh} watchdog stops the server when this JVM dies.
 */
final class PersistentRedis implements AutoCloseable {
    /** Stops the server when our end of its standard input closes (the embedded server's trick). */
    private static final String WATCHDOG =
            "exec 3<&0; \"$0\" \"$@\" </dev/null 3<&- & pid=$!;"
                    + " (while read -r _ <&3; do :; done; kill $pid 2>/dev/null) & exec 3<&-;"
                    + " wait $pid";

    private final Path directory;
    private final int port;
    private Process watchdog;

    private PersistentRedis(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Starts a server with its data in {@code directory}, on a free port. */
    static PersistentRedis start(Path directory) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PersistentRedis redis = new PersistentRedis(Files.createDirectories(directory), port);
        redis.start();
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) and returns once it answers PING with its data loaded. */
    void start() throws IOException {
        List<String> command =
                List.of(
                        "/bin/sh",
                        "-c",
                        WATCHDOG,
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        directory.toString(),
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "always",
                        "--save",
                        "",
                        "--notify-keyspace-events",
                        "KEA",
                        "--daemonize",
                        "no");
        watchdog =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        directory.resolve("redis.log").toFile()))
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                // PING answers LOADING errors while the AOF is read back: not ready until then.
                RedisProbe.version("127.0.0.1", port, null, Duration.ofSeconds(1));
                return;
            } catch (IOException e) {
                if (!watchdog.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IOException(
                            "redis-server did not start on port "
                                    + port
                                    + ": "
                                    + e.getMessage()
                                    + "\n"
                                    + Files.readString(directory.resolve("redis.log")),
                            e);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // polling interval
        }
    }

    /** SIGKILL to the server itself, as a crash would: no SHUTDOWN, no final save. */
    void kill() throws InterruptedException {
        for (ProcessHandle server : watchdog.descendants().toList()) {
            server.destroyForcibly();
        }
        if (!watchdog.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server survived SIGKILL for 30 s.");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (watchdog != null && watchdog.isAlive()) {
            kill();
        }
    }
}
