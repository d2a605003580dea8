package io.github.redisessync.embedded.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Runs one Elasticsearch node in this JVM until standard input reaches end-of-file.
 *
 * <p>Started by {@code EmbeddedElasticsearchNode} in a forked JVM whose parent holds our stdin open
 * as a pipe. The parent closing the pipe, exiting or being killed with SIGKILL all end in EOF here,
 * so the node never outlives the process that started it.
 *
 * <pre>
 * java -Des.distribution.flavor=default -Des.distribution.type=tar -cp ... \
 *     io.github.redisessync.embedded.elasticsearch.ElasticsearchNodeMain \
 *     --http-port 40321 --base-path /tmp/es-1234 --cluster-name redis-es-sync
 * </pre>
 */
public final class ElasticsearchNodeMain {

    /**
     * Printed once the node has started, for people reading the log; readiness is polled over HTTP.
     */
    public static final String STARTED_MARKER = "redis-es-sync embedded Elasticsearch node started";

    private ElasticsearchNodeMain() {}

    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Arguments.USAGE);
            System.exit(2);
            return;
        }

        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        // SIGTERM (Process.destroy) must close the node too, so Lucene releases its locks.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> closeQuietly(runner), "es-node-shutdown"));
        try {
            Files.createDirectories(arguments.basePath());
            // http.port is set below; stop the runner from probing ports on its own.
            runner.setMaxHttpPort(-1);
            runner.onBuild(
                    (number, settings) -> {
                        settings.put("http.port", String.valueOf(arguments.httpPort()));
                        // Port 0 lets the OS choose: two nodes (two launcher runs) never clash.
                        settings.put("transport.port", "0");
                        settings.put("network.host", "127.0.0.1");
                        settings.put("discovery.type", "single-node");
                        settings.put("node.name", arguments.clusterName() + "-node");
                        // A developer's nearly full disk must not turn indexes read-only.
                        settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
                    });
            runner.build(
                    ElasticsearchClusterRunner.newConfigs()
                            .basePath(arguments.basePath().toString())
                            .numOfNode(1)
                            .clusterName(arguments.clusterName())
                            .printOnFailure());
        } catch (RuntimeException | IOException e) {
            System.err.println("Could not start the Elasticsearch node: " + e);
            e.printStackTrace();
            closeQuietly(runner);
            System.exit(1);
            return;
        }
        System.out.println(STARTED_MARKER + " on http://127.0.0.1:" + arguments.httpPort());
        System.out.flush();

        awaitEndOfInput(System.in);
        System.out.println("Standard input closed; stopping the Elasticsearch node.");
        closeQuietly(runner);
        // Elasticsearch leaves non-daemon threads behind; exit explicitly.
        System.exit(0);
    }

    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Whatever the parent writes is ignored; only EOF matters.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone: same as EOF.
        }
    }

    private static void closeQuietly(ElasticsearchClusterRunner runner) {
        try {
            if (!runner.isClosed()) {
                runner.close();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not close the Elasticsearch node cleanly: " + e);
        }
    }

    /** The command line: every option is required so the parent decides ports and paths. */
    record Arguments(int httpPort, Path basePath, String clusterName) {
        static final String USAGE =
                "Usage: ElasticsearchNodeMain --http-port <port> --base-path <dir>"
                        + " --cluster-name <name>";

        static Arguments parse(String[] args) {
            Integer httpPort = null;
            Path basePath = null;
            String clusterName = null;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + args[i] + " needs a value.");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--http-port":
                        httpPort = parsePort(value);
                        break;
                    case "--base-path":
                        basePath = Path.of(value).toAbsolutePath();
                        break;
                    case "--cluster-name":
                        clusterName = value;
                        break;
                    default:
                        throw new IllegalArgumentException("Unknown option " + args[i] + ".");
                }
            }
            if (httpPort == null || basePath == null || clusterName == null) {
                throw new IllegalArgumentException(
                        "--http-port, --base-path and --cluster-name are all required.");
            }
            return new Arguments(httpPort, basePath, clusterName);
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port > 0 && port < 65536) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // Reported below with the value.
            }
            throw new IllegalArgumentException(
                    "--http-port must be a port between 1 and 65535, was " + value + ".");
        }
    }
}
