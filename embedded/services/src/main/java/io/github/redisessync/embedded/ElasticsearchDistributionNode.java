package io.github.redisessync.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A real single-node Elasticsearch or OpenSearch from an official distribution (the integ-test-zip:
 * no bundled JDK, no painless; OpenSearch's has no security plugin), on a free loopback port, for
 * tests that need a given server version: Elasticsearch 7.17, 8 or 9, OpenSearch 2 or 3.
 *
 * <pre>{@code
 * try (ElasticsearchDistributionNode es = ElasticsearchDistributionNode.start("9.2.4");
 *         ElasticsearchDistributionNode os =
 *                 ElasticsearchDistributionNode.start(SearchServerKind.OPENSEARCH, "3.2.0")) {
 *     RestClient.builder(HttpHost.create(es.url()));
 * }
 * }</pre>
 *
 * <p>The versions of embedded/distributions (8.19.21, 9.2.4; OpenSearch 2.19.1, 3.2.0) are always
 * there; another one once {@code mvn dependency:get} put its zip in the local repository. Its data,
 * configuration and log ({@link #logFile()}) live in a private temporary directory that {@link
 * #close()} deletes; security is off unless {@link Builder#basicAuth} turns it on; the heap is
 * 512m.
 *
 * <p>Both servers refuse to run as root, so as root the node runs as {@code nobody} (through {@code
 * runuser}) with its directories handed to that user. It runs on the first JDK that fits its
 * version ({@link JavaHomes}), under the same watchdog as the embedded Redis, so it stops when this
 * JVM does, even after SIGKILL.
 */
public final class ElasticsearchDistributionNode extends ForkedServer {

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final DistributionNodeLauncher.Spec spec;

    ElasticsearchDistributionNode(
            DistributionNodeLauncher.Spec spec,
            int port,
            String version,
            Process process,
            Path directory,
            Path logFile) {
        super(spec.kind().displayName(), port, version, process, directory, logFile, STOP_GRACE);
        this.spec = spec;
    }

    /** Starts an Elasticsearch node of {@code version} with the defaults. */
    public static ElasticsearchDistributionNode start(String version) {
        return builder().version(version).start();
    }

    /** Starts a node of {@code kind} and {@code version} with the defaults. */
    public static ElasticsearchDistributionNode start(SearchServerKind kind, String version) {
        return builder(kind).version(version).start();
    }

    /** Options for an Elasticsearch node, of {@link #defaultVersion()} unless told otherwise. */
    public static Builder builder() {
        return new Builder(SearchServerKind.ELASTICSEARCH);
    }

    /** Options for a node of {@code kind}; OpenSearch needs a {@link Builder#version}. */
    public static Builder builder(SearchServerKind kind) {
        return new Builder(Objects.requireNonNull(kind, "kind"));
    }

    /** The Elasticsearch version {@link Builder#version} defaults to (8.19.21). */
    public static String defaultVersion() {
        return ElasticsearchDistribution.defaultVersion();
    }

    /**
     * {@code http://127.0.0.1:<port>} ({@code https://} with {@link Builder#https}, the host of
     * {@link Builder#host}); no credentials, even when the node requires them.
     */
    public String url() {
        return spec.url(port());
    }

    /**
     * {@code http://user:password@127.0.0.1:<port>} when basic auth is on, else {@link #url()}.
     * Holds the password: never log it.
     */
    public String urlWithCredentials() {
        return spec.urlWithCredentials(port());
    }

    /** Elasticsearch or OpenSearch. */
    public SearchServerKind kind() {
        return spec.kind();
    }

    @Override
    String endpoint() {
        return url();
    }

    /**
     * Options for {@link ElasticsearchDistributionNode}; every one has a default, except the
     * version of an OpenSearch node.
     */
    public static final class Builder {
        private final SearchServerKind kind;
        private String version;
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
        private final java.util.Map<String, String> extraSettings = new java.util.LinkedHashMap<>();

        private Builder(SearchServerKind kind) {
            this.kind = kind;
            this.version = kind == SearchServerKind.ELASTICSEARCH ? defaultVersion() : null;
        }

        /**
         * HTTPS with this certificate and key (PEM, copied into the node's configuration, where
         * Elasticsearch may read them); needs {@link #basicAuth}. {@code caCertificate} signed the
         * certificate: the readiness probe trusts it.
         */
        public Builder https(Path certificate, Path key, Path caCertificate) {
            requireSecurityPlugin("https");
            this.https = new Path[] {certificate, key, caCertificate};
            return this;
        }

        /**
         * Requires a client certificate signed by the CA of {@link #https} on every HTTPS
         * connection ({@code xpack.security.http.ssl.client_authentication: required}); the
         * readiness probe presents {@code certificate} with {@code key} (PKCS#8 PEM).
         */
        public Builder requireClientCertificates(Path certificate, Path key) {
            requireSecurityPlugin("requireClientCertificates");
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
        /**
         * One more node setting, written as is into the node's configuration file, e.g. {@code
         * http.max_content_length: 1mb}.
         */
        public Builder setting(String key, String value) {
            extraSettings.put(key, value);
            return this;
        }

        public Builder apiKeys() {
            requireSecurityPlugin("apiKeys");
            this.apiKeys = true;
            return this;
        }

        /**
         * A version whose integ-test-zip Maven resolved (a module of embedded/distributions, or
         * {@code mvn dependency:get}); for Elasticsearch 8.19.21 by default.
         */
        public Builder version(String version) {
            ElasticsearchDistribution.zipOf(kind, version);
            this.version = version;
            return this;
        }

        /** The heap, such as {@code 512m}; Elasticsearch 8 wants at least 256m. */
        public Builder heap(String heap) {
            this.heap = ServerOptions.heap(heap, "512m");
            return this;
        }

        /** A fixed HTTP port, e.g. to start a node again where clients expect it; default free. */
        public Builder port(int port) {
            this.port = ServerOptions.port(port);
            return this;
        }

        /** Where the node keeps its data, kept after {@link #close()}; default: a fresh one. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = ServerOptions.startupTimeout(timeout);
            return this;
        }

        /** Turns security on with one superuser of the file realm; off (no auth) by default. */
        public Builder basicAuth(String user, String password) {
            requireSecurityPlugin("basicAuth");
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
            if (version == null) {
                throw new IllegalStateException(
                        "version must be set for " + kind.displayName() + ", e.g. 3.2.0.");
            }
            if (kind != SearchServerKind.ELASTICSEARCH && (user != null || apiKeys)) {
                requireSecurityPlugin("basicAuth");
            }
            if ((https != null || apiKeys) && user == null) {
                throw new IllegalStateException(
                        "https and apiKeys need basicAuth: security must be on.");
            }
            if (clientCertificate != null && https == null) {
                throw new IllegalStateException("requireClientCertificates needs https.");
            }
            return DistributionNodeLauncher.launch(
                    new DistributionNodeLauncher.Spec(
                            kind,
                            version,
                            heap,
                            port,
                            dataDirectory,
                            startupTimeout,
                            user,
                            password,
                            runAs,
                            https,
                            clientCertificate,
                            host,
                            apiKeys,
                            java.util.Map.copyOf(extraSettings)));
        }

        private void requireSecurityPlugin(String option) {
            if (kind != SearchServerKind.ELASTICSEARCH) {
                throw new IllegalStateException(
                        option
                                + " needs security, which "
                                + kind.displayName()
                                + "'s integ-test-zip does not have (no security plugin).");
            }
        }
    }
}
