package io.github.redisessync.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server the tests run in a process of its own: its port, the version it reported, its log, and a
 * {@link #close()} that stops the process (within a grace period, then forcibly) and deletes its
 * directory, once.
 */
public abstract class ForkedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForkedServer.class);

    private final String name;
    private final int port;
    private final String version;
    private final Process process;
    private final Path directory;
    private final Path logFile;
    private final Duration stopGrace;
    private final AtomicBoolean closed = new AtomicBoolean();

    ForkedServer(
            String name,
            int port,
            String version,
            Process process,
            Path directory,
            Path logFile,
            Duration stopGrace) {
        this.name = name;
        this.port = port;
        this.version = version;
        this.process = process;
        this.directory = directory;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
    }

    public int port() {
        return port;
    }

    /** The version the server reported when it started, e.g. {@code 7.0.15} or {@code 8.19.21}. */
    public String version() {
        return version;
    }

    /** The server's console output, in its directory; deleted by {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    /** Where clients reach it, for logs. */
    abstract String endpoint();

    Path directory() {
        return directory;
    }

    Process process() {
        return process;
    }

    /** Stops the server and deletes its directory; calling it again does nothing. */
    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ProcessSupport.stopAndRemove(process, stopGrace, directory, name);
        LOG.info("Stopped {} {} at {}", name, version, endpoint());
    }
}
