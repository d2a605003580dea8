package io.github.redisessync.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} in a child process on a free loopback port, with keyspace
 * notifications on and persistence off, for local runs and tests.
 *
 * <pre>{@code
 * try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
 *     RedisClient client = RedisClient.create(redis.uri());
 * }
 * try (EmbeddedRedisServer redis = EmbeddedRedisServer.start("--requirepass", "secret")) { ... }
 * }</pre>
 *
 * <p>The server runs under a small {@code sh} watchdog that stops it when our end of its standard
 * input closes, so it also stops when this JVM is killed with SIGKILL.
 */
public final class EmbeddedRedisServer extends ForkedServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);

    /** Always passed; extra arguments come after them and so may override them. */
    static final List<String> DEFAULT_ARGUMENTS =
            List.of(
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--notify-keyspace-events",
                    "KEA",
                    "--daemonize",
                    "no");

    /**
     * Runs the server in the background and kills it once standard input reaches EOF; exits with
     * the server's status when the server exits on its own. fd 3 keeps our stdin for the watcher
     * because a background job's stdin is /dev/null; the watcher uses only builtins so that it
     * works with any PATH.
     */
    static final String WATCHDOG =
            "exec 3<&0; \"$0\" \"$@\" </dev/null 3<&- & pid=$!;"
                    + " (while read -r _ <&3; do :; done; kill $pid 2>/dev/null) & exec 3<&-;"
                    + " wait $pid";

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path executable;
    private final boolean tls;

    private EmbeddedRedisServer(
            Path executable,
            boolean tls,
            int port,
            String version,
            Process process,
            Path directory,
            Path logFile) {
        super("Redis", port, version, process, directory, logFile, STOP_GRACE);
        this.executable = executable;
        this.tls = tls;
    }

    /** Starts a server with the default arguments. */
    public static EmbeddedRedisServer start() {
        return builder().start();
    }

    /** Starts a server with extra {@code redis-server} arguments, e.g. {@code --requirepass x}. */
    public static EmbeddedRedisServer start(String... extraArguments) {
        return builder().arguments(extraArguments).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code redis://127.0.0.1:<port>}, {@code rediss://} with {@link Builder#tls}; carries no
     * password even if one was required.
     */
    public String uri() {
        return (tls ? "rediss://" : "redis://") + host() + ":" + port();
    }

    public String host() {
        return ProcessSupport.LOOPBACK;
    }

    public Path executable() {
        return executable;
    }

    @Override
    String endpoint() {
        return uri();
    }

    /** Options for {@link EmbeddedRedisServer}; every one has a default. */
    public static final class Builder {
        private Path executable;
        private final List<String> arguments = new ArrayList<>();
        private Duration startupTimeout = Duration.ofSeconds(30);
        private List<String> tlsFiles;

        private Builder() {}

        /**
         * TLS only ({@code --port 0}, {@code --tls-port} on the chosen port) with this certificate
         * and key (PEM); clients are not asked for certificates. {@code caCertificate} signed the
         * certificate: the readiness probe trusts it.
         */
        public Builder tls(Path certificate, Path key, Path caCertificate) {
            this.tlsFiles =
                    List.of(certificate.toString(), key.toString(), caCertificate.toString());
            return this;
        }

        /** The {@code redis-server} to run instead of the PATH's or the bundled one. */
        public Builder executable(Path executable) {
            Objects.requireNonNull(executable, "executable must not be null");
            if (!Files.isExecutable(executable)) {
                throw new IllegalArgumentException(
                        "executable must be an executable file, was " + executable + ".");
            }
            this.executable = executable;
            return this;
        }

        /** Extra {@code redis-server} arguments, appended after the defaults. */
        public Builder arguments(String... extraArguments) {
            Objects.requireNonNull(extraArguments, "arguments must not be null");
            for (String argument : extraArguments) {
                Objects.requireNonNull(argument, "arguments must not contain null");
            }
            arguments.addAll(Arrays.asList(extraArguments));
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = ServerOptions.startupTimeout(timeout);
            return this;
        }

        /**
         * Starts the server and waits until it answers PING.
         *
         * @throws EmbeddedServerException if it exits or does not answer in time; the message holds
         *     the command and the server's last output lines
         */
        public EmbeddedRedisServer start() {
            Path exe = executable != null ? executable : RedisExecutable.resolve();
            return ProcessSupport.startOnFreePort(
                    "Redis",
                    "redis-es-sync-redis-",
                    0,
                    (port, directory) -> startOn(exe, port, directory));
        }

        private EmbeddedRedisServer startOn(Path exe, int port, Path directory) {
            List<String> command = new ArrayList<>();
            command.add(exe.toString());
            command.addAll(
                    List.of("--port", String.valueOf(port), "--bind", ProcessSupport.LOOPBACK));
            command.addAll(List.of("--dir", directory.toString()));
            command.addAll(DEFAULT_ARGUMENTS);
            command.addAll(arguments);
            if (tlsFiles != null) {
                command.addAll(
                        List.of(
                                "--port", "0",
                                "--tls-port", String.valueOf(port),
                                "--tls-cert-file", tlsFiles.get(0),
                                "--tls-key-file", tlsFiles.get(1),
                                "--tls-ca-cert-file", tlsFiles.get(2),
                                "--tls-auth-clients", "no"));
            }
            Path log = directory.resolve("redis-" + port + ".log");
            long started = System.nanoTime();
            Process process;
            try {
                process = ProcessSupport.start(watched(command), directory, log);
            } catch (IOException e) {
                throw new EmbeddedServerException("Could not run " + describe(command), e);
            }
            try {
                String version = awaitReady(process, port, command, log);
                LOG.info(
                        "Started Redis {} at {}://{}:{} in {} ms ({})",
                        version,
                        tlsFiles != null ? "rediss" : "redis",
                        ProcessSupport.LOOPBACK,
                        port,
                        ProcessSupport.millisSince(started),
                        exe);
                return new EmbeddedRedisServer(
                        exe, tlsFiles != null, port, version, process, directory, log);
            } catch (RuntimeException e) {
                ProcessSupport.stop(process, STOP_GRACE);
                throw e;
            }
        }

        private String awaitReady(Process process, int port, List<String> command, Path log) {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            String password = passwordIn(arguments);
            IOException lastFailure = null;
            SSLSocketFactory tls =
                    tlsFiles == null
                            ? null
                            : TlsTrust.trusting(Path.of(tlsFiles.get(2))).getSocketFactory();
            while (true) {
                if (!process.isAlive()) {
                    String message =
                            describe(command)
                                    + " exited with code "
                                    + process.exitValue()
                                    + ". Last output lines:\n"
                                    + ProcessSupport.lastLines(log, 20);
                    if (ProcessSupport.logContains(log, "Address already in use")) {
                        throw new PortTakenException(message);
                    }
                    throw new EmbeddedServerException(message);
                }
                try {
                    return RedisProbe.version(
                            ProcessSupport.LOOPBACK, port, password, Duration.ofSeconds(1), tls);
                } catch (IOException e) {
                    lastFailure = e;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new EmbeddedServerException(
                            describe(command)
                                    + " did not answer PING within "
                                    + startupTimeout.toSeconds()
                                    + " s ("
                                    + lastFailure.getMessage()
                                    + "). Last output lines:\n"
                                    + ProcessSupport.lastLines(log, 20),
                            lastFailure);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedServerException("Interrupted while starting Redis.", e);
                }
            }
        }
    }

    /** Wraps the command in the watchdog where a POSIX shell exists (not on Windows). */
    static List<String> watched(List<String> command) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The last {@code --requirepass} value, which PING then needs. */
    static String passwordIn(List<String> arguments) {
        String password = null;
        for (int i = 0; i < arguments.size() - 1; i++) {
            if (arguments.get(i).equals("--requirepass")) {
                password = arguments.get(i + 1);
            }
        }
        return password;
    }

    /** The command for messages, with empty arguments visible and any password hidden. */
    static String describe(List<String> command) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            String argument = command.get(i);
            boolean secret = i > 0 && command.get(i - 1).equals("--requirepass");
            if (i > 0 && (argument.startsWith(">") || argument.startsWith("#"))) {
                // ACL rules of --user: >password adds a password, #hash a hashed one.
                argument = argument.charAt(0) + "****";
            }
            text.append(i == 0 ? "" : " ")
                    .append(secret ? "****" : argument.isEmpty() ? "\"\"" : argument);
        }
        return text.toString();
    }
}
