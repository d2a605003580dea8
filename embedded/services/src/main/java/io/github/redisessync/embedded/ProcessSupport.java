package io.github.redisessync.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ports, child processes, log tails and temporary directories shared by both embedded servers. */
final class ProcessSupport {

    static final String LOOPBACK = "127.0.0.1";

    /** Names the process that owns an instance directory, so a later run can clean up after it. */
    static final String OWNER_FILE = "owner.pid";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessSupport.class);

    /** How many free ports a server is started on before its start fails. */
    private static final int PORT_ATTEMPTS = 3;

    private ProcessSupport() {}

    /**
     * Asks the OS for a free port on the loopback interface. Another process may take it before our
     * server binds it, so callers retry with a new port when the server reports it in use.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + LOOPBACK + ".", e);
        }
    }

    /** Starts a process whose standard input stays an open pipe and whose output goes to a log. */
    static Process start(List<String> command, Path workingDirectory, Path logFile)
            throws IOException {
        return start(command, workingDirectory, logFile, Map.of());
    }

    /** {@link #start(List, Path, Path)} with extra environment variables for the child. */
    static Process start(
            List<String> command,
            Path workingDirectory,
            Path logFile,
            Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder.directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    /**
     * Stops a child started by {@link #start}: closing its standard input asks it to stop, then it
     * is destroyed (with its descendants) if it has not exited in time.
     */
    static void stop(Process process, Duration gracePeriod) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The child is already gone; nothing to ask.
        }
        try {
            if (process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log file, for error messages; never throws. */
    static String lastLines(Path file, int count) {
        Deque<String> lines = new ArrayDeque<>(count);
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            all.forEach(
                    line -> {
                        if (lines.size() == count) {
                            lines.removeFirst();
                        }
                        lines.addLast(line);
                    });
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
        return lines.isEmpty() ? "(no output)" : String.join(System.lineSeparator(), lines);
    }

    static boolean logContains(Path file, String text) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Starts a server on {@code port} with {@code directory} as its instance directory. */
    interface PortStart<T> {
        /**
         * @throws PortTakenException if someone else took {@code port} before the server bound it
         */
        T startOn(int port, Path directory);
    }

    /**
     * Starts {@code server} in a fresh instance directory ({@link #createInstanceDirectory}) on
     * {@code fixedPort}, or when that is 0 on a free port, taking another one (three in all) when
     * someone took it before the server bound it; deletes the directory when the start fails.
     */
    static <T> T startOnFreePort(String server, String prefix, int fixedPort, PortStart<T> start) {
        Path directory;
        try {
            directory = createInstanceDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for " + server + ".", e);
        }
        try {
            for (int attempt = 1; ; attempt++) {
                int port = fixedPort != 0 ? fixedPort : freePort();
                try {
                    return start.startOn(port, directory);
                } catch (PortTakenException e) {
                    if (fixedPort != 0 || attempt == PORT_ATTEMPTS) {
                        throw new EmbeddedServerException(e.getMessage());
                    }
                    LOG.info("Port {} was taken before {} bound it; trying another", port, server);
                }
            }
        } catch (RuntimeException e) {
            try {
                deleteRecursively(directory);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Creates a fresh directory {@code <tmp>/<prefix><random>} owned by this process, first
     * deleting the ones whose owner no longer runs: a run killed with SIGKILL cannot clean up after
     * itself.
     */
    static Path createInstanceDirectory(String prefix) throws IOException {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        removeStaleInstanceDirectories(parent, prefix);
        Path directory = Files.createTempDirectory(parent, prefix);
        Files.writeString(
                directory.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
        return directory;
    }

    static void removeStaleInstanceDirectories(Path parent, String prefix) {
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path directory : directories) {
                if (isStale(directory)) {
                    deleteRecursively(directory);
                    LOG.info("Deleted {}, left behind by a process that no longer runs", directory);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Another user's directory, or one deleted meanwhile: not ours to worry about.
            LOG.debug("Could not clean up stale directories {}* in {}", prefix, parent, e);
        }
    }

    /** Whether the owner recorded in a directory is gone (or its pid now names a newer process). */
    static boolean isStale(Path directory) throws IOException {
        Path owner = directory.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
            // Not made by us, or still being created.
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(owner, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        Instant written = Files.getLastModifiedTime(owner).toInstant();
        return process.get()
                .info()
                .startInstant()
                .map(start -> start.isAfter(written))
                .orElse(false);
    }

    /**
     * Stops a server's process and deletes its instance directory; a directory that cannot be
     * deleted is only warned about, since the next start cleans up after dead owners anyway.
     */
    static void stopAndRemove(
            Process process, Duration gracePeriod, Path directory, String server) {
        stop(process, gracePeriod);
        try {
            deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Could not delete the {} directory {}", server, directory, e);
        }
    }

    /** Deletes a directory tree; a file that vanished meanwhile is fine. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(
                root,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e)
                            throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e)
                            throws IOException {
                        if (e != null && !(e instanceof NoSuchFileException)) {
                            throw e;
                        }
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
