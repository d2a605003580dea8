package io.github.redisessync.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch from an official distribution (the integ-test-zip: no bundled
 * JDK, no painless), on a free loopback port, for tests that need Elasticsearch 8 or 7.17.
 *
 * <pre>{@code
 * try (ElasticsearchDistributionNode es = ElasticsearchDistributionNode.start("8.19.21")) {
 *     RestClient.builder(HttpHost.create(es.url()));
 * }
 * }</pre>
 *
 * <p>Elasticsearch refuses to run as root, so as root the node runs as {@code nobody} (through
 * {@code runuser}) with its directories handed to that user. It runs on the first JDK that fits its
 * version ({@link JavaHomes}), under the same watchdog as the embedded Redis, so it stops when this
 * JVM does, even after SIGKILL.
 */
public final class ElasticsearchDistributionNode extends ForkedServer {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchDistributionNode.class);

    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path logFile;
    private final String user;
    private final String password;
    private final String scheme;
    private final String host;

    private ElasticsearchDistributionNode(
            int port,
            String version,
            Process process,
            Path directory,
            Path logFile,
            String user,
            String password,
            String scheme,
            String host) {
        super("Elasticsearch", port, version, process, directory, STOP_GRACE);
        this.scheme = scheme;
        this.host = host;
        this.logFile = logFile;
        this.user = user;
        this.password = password;
    }

    /** Starts a node of {@code version} with the defaults. */
    public static ElasticsearchDistributionNode start(String version) {
        return builder().version(version).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The version the build resolved, which {@link Builder#version} defaults to. */
    public static String defaultVersion() {
        return ElasticsearchDistribution.defaultVersion();
    }

    /**
     * {@code http://127.0.0.1:<port>} ({@code https://} with {@link Builder#https}, the host of
     * {@link Builder#host}); no credentials, even when the node requires them.
     */
    public String url() {
        return urlOf(scheme, host, port(), null, null);
    }

    /**
     * {@code http://user:password@127.0.0.1:<port>} when basic auth is on, else {@link #url()}.
     * Holds the password: never log it.
     */
    public String urlWithCredentials() {
        return user == null ? url() : urlOf(scheme, host, port(), user, password);
    }

    /** The node's console output; deleted by {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    @Override
    String endpoint() {
        return url();
    }

    /** Options for {@link ElasticsearchDistributionNode}; every one has a default. */
    public static final class Builder {
        private String version = defaultVersion();
        private String heap = "512m";
        private int port;
        private Path dataDirectory;
        private Duration startupTimeout = Duration.ofMinutes(3);
        private String user;
        private String password;
        private String runAs = "nobody";
        private Path[] https;
        private Path[] clientCertificate;
        private String host = ProcessSupport.LOOPBACK;
        private boolean apiKeys;

        private Builder() {}

        /**
         * HTTPS with this certificate and key (PEM, copied into the node's configuration, where
         * Elasticsearch may read them); needs {@link #basicAuth}. {@code caCertificate} signed the
         * certificate: the readiness probe trusts it.
         */
        public Builder https(Path certificate, Path key, Path caCertificate) {
            this.https = new Path[] {certificate, key, caCertificate};
            return this;
        }

        /**
         * Requires a client certificate signed by the CA of {@link #https} on every HTTPS
         * connection ({@code xpack.security.http.ssl.client_authentication: required}); the
         * readiness probe presents {@code certificate} with {@code key} (PKCS#8 PEM).
         */
        public Builder requireClientCertificates(Path certificate, Path key) {
            this.clientCertificate =
                    new Path[] {
                        Objects.requireNonNull(certificate, "certificate"),
                        Objects.requireNonNull(key, "key")
                    };
            return this;
        }

        /**
         * The host name in {@link #url()} and for the readiness probe, {@code 127.0.0.1} (default)
         * or {@code localhost}: for a certificate that names only one of them. The node listens on
         * 127.0.0.1 either way.
         */
        public Builder host(String host) {
            if (!List.of(ProcessSupport.LOOPBACK, "localhost").contains(host)) {
                throw new IllegalArgumentException(
                        "host must be " + ProcessSupport.LOOPBACK + " or localhost, was " + host);
            }
            this.host = host;
            return this;
        }

        /**
         * Lets the node create API keys ({@code POST /_security/api_key}), by giving it the
         * analysis components its {@code .security} index needs ({@link SecurityIndexPlugin});
         * needs {@link #basicAuth} and Elasticsearch 8.
         */
        public Builder apiKeys() {
            this.apiKeys = true;
            return this;
        }

        private String scheme() {
            return https == null ? "http" : "https";
        }

        /** A version whose integ-test-zip is in the local Maven repository; default 8.19.21. */
        public Builder version(String version) {
            ElasticsearchDistribution.zipOf(version);
            this.version = version;
            return this;
        }

        /** The heap, such as {@code 512m}; Elasticsearch 8 wants at least 256m. */
        public Builder heap(String heap) {
            if (heap == null || !HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException(
                        "heap must be a JVM size such as 512m or 1g, was " + heap + ".");
            }
            this.heap = heap;
            return this;
        }

        /** A fixed HTTP port, e.g. to start a node again where clients expect it; default free. */
        public Builder port(int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "port must be between 1 and 65535, was " + port + ".");
            }
            this.port = port;
            return this;
        }

        /** Where the node keeps its data, kept after {@link #close()}; default: a fresh one. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(
                        "startupTimeout must be positive, was " + timeout + ".");
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** Turns security on with one superuser of the file realm; off (no auth) by default. */
        public Builder basicAuth(String user, String password) {
            if (user == null || !USER_NAME.matcher(user).matches()) {
                throw new IllegalArgumentException(
                        "user must be letters, digits, '_' or '-', was " + user + ".");
            }
            if (password == null || password.length() < 6) {
                throw new IllegalArgumentException(
                        "password must have at least 6 characters (Elasticsearch's minimum).");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /** The unprivileged user the node runs as when this JVM runs as root; default nobody. */
        public Builder runAs(String runAs) {
            if (runAs == null || !USER_NAME.matcher(runAs).matches()) {
                throw new IllegalArgumentException("runAs must be a user name, was " + runAs + ".");
            }
            this.runAs = runAs;
            return this;
        }

        /**
         * Unpacks the distribution if needed, configures and starts the node, and waits until the
         * cluster is yellow.
         *
         * @throws EmbeddedServerException if no suitable JDK exists, or the node exits or is not
         *     ready in time; the message holds the last lines of its log
         */
        public ElasticsearchDistributionNode start() {
            if ((https != null || apiKeys) && user == null) {
                throw new IllegalStateException(
                        "https and apiKeys need basicAuth: security must be on.");
            }
            if (clientCertificate != null && https == null) {
                throw new IllegalStateException("requireClientCertificates needs https.");
            }
            ElasticsearchDistribution distribution = ElasticsearchDistribution.of(version);
            Path java =
                    JavaHomes.forElasticsearch(
                            distribution.major(), System.getenv(), Path.of("/usr/lib/jvm"));
            Path directory;
            try {
                directory = ProcessSupport.createInstanceDirectory("redis-es-sync-es-node-");
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Could not create a directory for Elasticsearch.", e);
            }
            try {
                for (int attempt = 1; ; attempt++) {
                    int httpPort = port != 0 ? port : ProcessSupport.freePort();
                    try {
                        return startOn(distribution, java, httpPort, directory);
                    } catch (ElasticsearchReadiness.PortTakenException e) {
                        if (port != 0 || attempt == PORT_ATTEMPTS) {
                            throw new EmbeddedServerException(e.getMessage());
                        }
                        LOG.info(
                                "Port {} was taken before Elasticsearch bound it; retrying",
                                httpPort);
                    }
                }
            } catch (RuntimeException e) {
                try {
                    ProcessSupport.deleteRecursively(directory);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        private ElasticsearchDistributionNode startOn(
                ElasticsearchDistribution distribution, Path java, int httpPort, Path directory) {
            Path config = directory.resolve("config-" + httpPort);
            Path data = dataDirectory != null ? dataDirectory : directory.resolve("data");
            Path log = directory.resolve("elasticsearch-" + httpPort + ".log");
            Path home = distribution.home();
            try {
                if (apiKeys) {
                    home =
                            SecurityIndexPlugin.installInto(
                                    distribution, directory.resolve("home-" + httpPort));
                }
                ElasticsearchDistributionConfig.write(
                        distribution.home().resolve("config"),
                        config,
                        new ElasticsearchDistributionConfig.Settings(
                                httpPort,
                                data,
                                directory.resolve("logs"),
                                heap,
                                user,
                                password,
                                https == null ? null : https[0],
                                https == null ? null : https[1],
                                clientCertificate == null ? null : https[2]));
                Files.createDirectories(directory.resolve("tmp"));
                Files.createDirectories(data);
                if (RunAs.isRoot()) {
                    RunAs.handOver(directory, runAs);
                    RunAs.handOver(data, runAs);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Could not configure Elasticsearch in " + directory, e);
            }
            List<String> command = command(home);
            Map<String, String> environment =
                    Map.of(
                            "ES_JAVA_HOME", java.toString(),
                            "ES_PATH_CONF", config.toString(),
                            "ES_TMPDIR", directory.resolve("tmp").toString(),
                            // Options of the user's shell must not reach the test node.
                            "ES_JAVA_OPTS", "",
                            "JAVA_HOME", java.toString());
            long started = System.nanoTime();
            Process process;
            try {
                process =
                        ProcessSupport.start(
                                EmbeddedRedisServer.watched(command), directory, log, environment);
            } catch (IOException e) {
                throw new EmbeddedServerException("Could not run " + String.join(" ", command), e);
            }
            try {
                ElasticsearchHttp http =
                        new ElasticsearchHttp(
                                URI.create(
                                        user == null
                                                ? urlOf(scheme(), host, httpPort, null, null)
                                                : urlOf(scheme(), host, httpPort, user, password)),
                                Duration.ofSeconds(5),
                                https == null
                                        ? null
                                        : TlsTrust.context(
                                                https[2],
                                                clientCertificate == null
                                                        ? null
                                                        : clientCertificate[0],
                                                clientCertificate == null
                                                        ? null
                                                        : clientCertificate[1]));
                ElasticsearchReadiness.await(process, http, version, log, startupTimeout);
                String reported = http.version();
                LOG.info(
                        "Started Elasticsearch {} at {} in {} ms (Java {}, {}{}{}{}{}, log {})",
                        reported,
                        urlOf(scheme(), host, httpPort, null, null),
                        ProcessSupport.millisSince(started),
                        java,
                        RunAs.isRoot() ? "as " + runAs : "as " + System.getProperty("user.name"),
                        user == null ? ", security off" : ", basic auth",
                        https == null ? "" : ", https",
                        clientCertificate == null ? "" : " requiring client certificates",
                        apiKeys ? ", API keys" : "",
                        log);
                return new ElasticsearchDistributionNode(
                        httpPort, reported, process, directory, log, user, password, scheme(),
                        host);
            } catch (IOException e) {
                ProcessSupport.stop(process, STOP_GRACE);
                throw new EmbeddedServerException(
                        "Elasticsearch at "
                                + urlOf(scheme(), host, httpPort, null, null)
                                + " did not report its version.",
                        e);
            } catch (RuntimeException e) {
                ProcessSupport.stop(process, STOP_GRACE);
                throw e;
            }
        }

        private List<String> command(Path home) {
            return RunAs.command(List.of(home.resolve("bin/elasticsearch").toString()), runAs);
        }
    }

    private static String urlOf(
            String scheme, String host, int port, String user, String password) {
        String userInfo =
                user == null
                        ? ""
                        : user
                                + ":"
                                + URLEncoder.encode(password, StandardCharsets.UTF_8)
                                        .replace("+", "%20")
                                + "@";
        return scheme + "://" + userInfo + host + ":" + port;
    }
}
