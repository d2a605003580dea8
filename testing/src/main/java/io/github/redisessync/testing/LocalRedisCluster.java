package io.github.redisessync.testing;

import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.embedded.EmbeddedServerException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster of three primaries and three replicas in child processes on loopback ports: the
 * {@code redis-server} the other tests run (see {@link EmbeddedRedisServer}), each node with its
 * own directory and {@code nodes.conf}, keyspace notifications on and persistence off, joined by
 * {@code redis-cli --cluster create}. {@link #start()} returns once every node reports {@code
 * cluster_state:ok} with all 16384 slots served and knows every other node.
 */
final class LocalRedisCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRedisCluster.class);

    static final int PRIMARIES = 3;
    static final int NODES = PRIMARIES * 2;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOOPBACK = "127.0.0.1";

    /**
     * Before Redis 7 (no {@code cluster-port}) the bus listens on the port plus 10000, which fails
     * for ports above 55535; a node that fails to start is retried on another port this often.
     */
    private static final int START_ATTEMPTS = 8;

    private final List<EmbeddedRedisServer> servers;
    private final Path cli;
    private final RedisClusterEndpoint endpoint;

    private LocalRedisCluster(
            List<EmbeddedRedisServer> servers, Path cli, RedisClusterEndpoint endpoint) {
        this.servers = servers;
        this.cli = cli;
        this.endpoint = endpoint;
    }

    /** Starts the nodes, creates the cluster and waits until it serves every slot. */
    static LocalRedisCluster start() {
        long started = System.nanoTime();
        List<EmbeddedRedisServer> servers = new ArrayList<>();
        try {
            servers.add(startNode(null, false));
            EmbeddedRedisServer first = servers.get(0);
            Path cli = findCli(first.executable(), System.getenv("PATH"));
            boolean hasClusterPort = major(first.version()) >= 7;
            while (servers.size() < NODES) {
                servers.add(startNode(first, hasClusterPort));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            for (EmbeddedRedisServer server : servers) {
                create.add(LOOPBACK + ":" + server.port());
            }
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String created = runCli(cli, create);
            if (!created.contains("All 16384 slots covered")) {
                throw new IllegalStateException(
                        "redis-cli --cluster create did not cover all slots:\n" + created);
            }
            awaitReady(cli, servers);
            List<String> primaries = primaries(runCli(cli, nodeCommand(servers.get(0), "NODES")));
            List<String> nodes = new ArrayList<>();
            for (EmbeddedRedisServer server : servers) {
                nodes.add(server.uri());
            }
            RedisClusterEndpoint endpoint =
                    new RedisClusterEndpoint(
                            primaries.get(0),
                            nodes,
                            primaries,
                            first.version(),
                            "embedded cluster, " + first.executable() + ", " + cli);
            LOG.info(
                    "Started {} in {} ms",
                    endpoint,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new LocalRedisCluster(servers, cli, endpoint);
        } catch (RuntimeException e) {
            closeAll(servers);
            throw new IllegalStateException(
                    "Could not start a local Redis Cluster of "
                            + NODES
                            + " nodes: "
                            + e.getMessage(),
                    e);
        }
    }

    RedisClusterEndpoint endpoint() {
        return endpoint;
    }

    /** Where {@code redis-cli} was found. */
    Path cli() {
        return cli;
    }

    /** The nodes' servers, in the order they were started (a killed one stays listed). */
    List<EmbeddedRedisServer> servers() {
        return servers;
    }

    @Override
    public void close() {
        closeAll(servers);
    }

    private static void closeAll(List<EmbeddedRedisServer> servers) {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
        }
    }

    private static EmbeddedRedisServer startNode(EmbeddedRedisServer first, boolean clusterPort) {
        EmbeddedServerException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            List<String> arguments =
                    new ArrayList<>(
                            List.of(
                                    "--cluster-enabled", "yes",
                                    // Relative to the node's --dir, its own temporary directory.
                                    "--cluster-config-file", "nodes.conf",
                                    "--cluster-node-timeout", "5000"));
            if (clusterPort) {
                arguments.addAll(List.of("--cluster-port", String.valueOf(freePort())));
            }
            EmbeddedRedisServer.Builder builder =
                    EmbeddedRedisServer.builder().arguments(arguments.toArray(new String[0]));
            if (first != null) {
                builder.executable(first.executable());
            }
            try {
                return builder.start();
            } catch (EmbeddedServerException e) {
                last = e;
                LOG.info(
                        "A cluster node failed to start (attempt {}): {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    /**
     * {@code redis-cli} next to {@code server} (Debian's redis-tools puts both in /usr/bin), else
     * the PATH's; fails naming both places when neither has one.
     */
    static Path findCli(Path server, String path) {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(server.getParent())
                .ifPresent(d -> candidates.add(d.resolve("redis-cli")));
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (!directory.isEmpty()) {
                    candidates.add(Path.of(directory, "redis-cli"));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "A Redis Cluster needs redis-cli to create it, and there is none next to "
                        + server
                        + " nor on the PATH ("
                        + path
                        + "). Install it (Debian: apt-get install redis-tools).");
    }

    /**
     * Waits until every node reports the cluster ok, with all slots served, and sees three
     * primaries and three replicas: {@code --cluster create} returns before the replica roles have
     * spread by gossip (a replica-to-be was seen still listed as a slotless primary).
     */
    private static void awaitReady(Path cli, List<EmbeddedRedisServer> servers) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (EmbeddedRedisServer server : servers) {
            String info = "";
            while (!isReady(info)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "Node "
                                    + server.uri()
                                    + " did not report cluster_state:ok with 16384 slots, "
                                    + PRIMARIES
                                    + " primaries and "
                                    + (NODES - PRIMARIES)
                                    + " replicas within "
                                    + READY_TIMEOUT.toSeconds()
                                    + " s; last CLUSTER INFO and CLUSTER NODES:\n"
                                    + info);
                }
                info =
                        runCli(cli, nodeCommand(server, "INFO"))
                                + runCli(cli, nodeCommand(server, "NODES"));
                if (!isReady(info)) {
                    pause();
                }
            }
        }
    }

    /** Whether {@code CLUSTER INFO} followed by {@code CLUSTER NODES} shows a complete cluster. */
    static boolean isReady(String clusterInfoAndNodes) {
        int replicas = 0;
        for (String line : clusterInfoAndNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 7 && fields[2].contains("slave")) {
                replicas++;
            }
        }
        return clusterInfoAndNodes.contains("cluster_state:ok")
                && clusterInfoAndNodes.contains("cluster_slots_ok:16384")
                && clusterInfoAndNodes.contains("cluster_known_nodes:" + NODES)
                && replicas == NODES - PRIMARIES;
    }

    /** {@code redis://host:port} of each primary in {@code CLUSTER NODES}, in port order. */
    static List<String> primaries(String clusterNodes) {
        List<String> primaries = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 8 && fields[2].contains("master")) {
                // host:port@busport[,hostname]
                String address = fields[1].split("[@,]")[0];
                primaries.add("redis://" + address);
            }
        }
        primaries.sort(null);
        if (primaries.size() != PRIMARIES) {
            throw new IllegalStateException(
                    "Expected " + PRIMARIES + " primaries with slots in:\n" + clusterNodes);
        }
        return primaries;
    }

    static List<String> nodeCommand(EmbeddedRedisServer server, String subcommand) {
        return List.of("-h", LOOPBACK, "-p", String.valueOf(server.port()), "CLUSTER", subcommand);
    }

    /** Runs redis-cli with {@code arguments} and returns its output; fails on an error exit. */
    static String runCli(Path cli, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(cli.toString());
        command.addAll(arguments);
        Path output = null;
        try {
            output = Files.createTempFile("redis-es-sync-cli-", ".out");
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
            if (!process.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command)
                                + " did not finish within "
                                + CLI_TIMEOUT.toSeconds()
                                + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command)
                                + " exited with "
                                + process.exitValue()
                                + ":\n"
                                + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + command.get(0), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    LOG.debug("Could not delete {}", output, e);
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + LOOPBACK, e);
        }
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Between polls of CLUSTER INFO: the nodes gossip every 100 ms or so. */
    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for the Redis Cluster", e);
        }
    }
}
