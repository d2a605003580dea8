package io.github.redisessync.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch 7.10 cluster in a forked JVM on a free loopback port, for local
 * runs and tests.
 *
 * <pre>{@code
 * try (EmbeddedElasticsearchNode es = EmbeddedElasticsearchNode.start()) {
 *     RestClient.builder(HttpHost.create(es.url()));
 * }
 * }</pre>
 *
 * <p>The fork runs {@code ElasticsearchNodeMain} with the jars of the node module, which never join
 * this JVM's classpath (their netty and JNA would clash with Flink's and Lettuce's). The child
 * stops when its standard input closes, which also happens when this JVM dies.
 */
public final class EmbeddedElasticsearchNode extends ForkedServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearchNode.class);

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private EmbeddedElasticsearchNode(
            int port, String version, Process process, Path directory, Path logFile) {
        super("Elasticsearch", port, version, process, directory, logFile, STOP_GRACE);
    }

    /** Starts a node with a 256 MB heap and its data in a fresh temporary directory. */
    public static EmbeddedElasticsearchNode start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return urlOf(port());
    }

    @Override
    String endpoint() {
        return url();
    }

    /** Options for {@link EmbeddedElasticsearchNode}; every one has a default. */
    public static final class Builder {
        private String heap = "256m";
        private Path dataDirectory;
        private String clusterName = "redis-es-sync-embedded";
        private Duration startupTimeout = Duration.ofSeconds(90);
        private int port;

        private Builder() {}

        /**
         * A fixed HTTP port, e.g. to start a node again (with the same {@link #dataDirectory})
         * where its clients expect it; default: a free one.
         */
        public Builder port(int port) {
            this.port = ServerOptions.port(port);
            return this;
        }

        /** The child's -Xms and -Xmx, such as {@code 256m} or {@code 1g}. */
        public Builder heap(String heap) {
            this.heap = ServerOptions.heap(heap, "256m");
            return this;
        }

        /**
         * Where the node keeps its data, kept after {@link #close()} so a later run finds its
         * indexes again. Only one node at a time may use a directory. Default: a temporary one.
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        public Builder clusterName(String clusterName) {
            if (clusterName == null || !clusterName.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException(
                        "clusterName must be letters, digits, '.', '_' or '-', was "
                                + clusterName
                                + ".");
            }
            this.clusterName = clusterName;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = ServerOptions.startupTimeout(timeout);
            return this;
        }

        /**
         * Forks the node and waits until the cluster is yellow.
         *
         * @throws EmbeddedServerException if the child exits or is not ready in time; the message
         *     holds the last lines of its log
         */
        public EmbeddedElasticsearchNode start() {
            List<Path> classpath = ElasticsearchNodeClasspath.resolve();
            return ProcessSupport.startOnFreePort(
                    "Elasticsearch",
                    "redis-es-sync-elasticsearch-",
                    port,
                    (httpPort, directory) -> startOn(classpath, httpPort, directory));
        }

        private EmbeddedElasticsearchNode startOn(List<Path> classpath, int port, Path directory) {
            Path basePath = dataDirectory != null ? dataDirectory : directory.resolve("node");
            Path log = directory.resolve("elasticsearch-" + port + ".log");
            try {
                Files.createDirectories(directory.resolve("tmp"));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Could not create a directory for Elasticsearch.", e);
            }
            List<String> command = command(classpath, port, basePath, directory.resolve("tmp"));
            long started = System.nanoTime();
            Process process;
            try {
                process = ProcessSupport.start(command, directory, log);
            } catch (IOException e) {
                throw new EmbeddedServerException("Could not run " + command.get(0), e);
            }
            String version =
                    ElasticsearchReadiness.awaitVersion(
                            process,
                            new ElasticsearchHttp(URI.create(urlOf(port)), Duration.ofSeconds(5)),
                            "The Elasticsearch node",
                            log,
                            startupTimeout,
                            STOP_GRACE);
            LOG.info(
                    "Started Elasticsearch {} at {} in {} ms (log {})",
                    version,
                    urlOf(port),
                    ProcessSupport.millisSince(started),
                    log);
            return new EmbeddedElasticsearchNode(port, version, process, directory, log);
        }

        private List<String> command(List<Path> classpath, int port, Path basePath, Path tmp) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>();
            command.add(java);
            command.add("-Xms" + heap);
            command.add("-Xmx" + heap);
            // Official clients check these before talking to a node; a tar "default" node passes.
            command.add("-Des.distribution.flavor=default");
            command.add("-Des.distribution.type=tar");
            // JNA unpacks native code here; per-instance so concurrent runs never share files.
            command.add("-Djava.io.tmpdir=" + tmp);
            command.add("-XX:+ExitOnOutOfMemoryError");
            // No -ea: Elasticsearch 7.10 trips assertions on cgroup v2 hosts.
            command.add("-cp");
            command.add(
                    classpath.stream()
                            .map(Path::toString)
                            .collect(Collectors.joining(File.pathSeparator)));
            command.add(ElasticsearchNodeClasspath.MAIN_CLASS);
            command.addAll(
                    List.of(
                            "--http-port", String.valueOf(port),
                            "--base-path", basePath.toString(),
                            "--cluster-name", clusterName));
            return command;
        }
    }

    private static String urlOf(int port) {
        return "http://" + ProcessSupport.LOOPBACK + ":" + port;
    }
}
