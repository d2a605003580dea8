package io.github.redisessync.testing;

import io.github.redisessync.embedded.EmbeddedRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster of one test's own (three primaries, three replicas, see {@link
 * LocalRedisCluster}) whose topology the test changes: a planned failover, a primary killed with
 * {@code kill -9}, slots moved from one primary to another. Each change returns once every live
 * node reports the cluster ok with all slots served and agrees on the new primaries; no fixed
 * sleeps, a deadline instead.
 *
 * <pre>{@code
 * try (PrivateRedisCluster cluster = PrivateRedisCluster.start()) {
 *     String primary = cluster.primaries().get(0);
 *     String promoted = cluster.killPrimary(primary);
 * }
 * }</pre>
 *
 * <p>Addresses are {@code host:port} as {@code CLUSTER NODES} shows them.
 */
public final class PrivateRedisCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateRedisCluster.class);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

    private final LocalRedisCluster cluster;
    private final Set<Integer> killedPorts = new TreeSet<>();

    private PrivateRedisCluster(LocalRedisCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a new cluster (3 to 7 s); the caller closes it. */
    public static PrivateRedisCluster start() {
        return new PrivateRedisCluster(LocalRedisCluster.start());
    }

    public RedisClusterEndpoint endpoint() {
        return cluster.endpoint();
    }

    /** {@code host:port} of the primaries that serve slots now, in address order. */
    public List<String> primaries() {
        List<String> primaries = new ArrayList<>();
        for (String uri : LocalRedisCluster.primaries(nodes(anyLiveNode()))) {
            primaries.add(uri.substring("redis://".length()));
        }
        return primaries;
    }

    /**
     * Promotes the replica of {@code primary} ({@code host:port}) with {@code CLUSTER FAILOVER}
     * sent to the replica; returns the new primary's address once the cluster agrees on it.
     */
    public String failover(String primary) {
        String replica = replicaOf(primary);
        LOG.info("CLUSTER FAILOVER on {}, the replica of {}", replica, primary);
        cli(List.of("-h", host(replica), "-p", port(replica), "CLUSTER", "FAILOVER"));
        awaitPrimaries(p -> p.contains(replica) && !p.contains(primary), "failover to " + replica);
        return replica;
    }

    /**
     * Kills {@code primary}'s process with SIGKILL and returns its replica's address once the
     * replica was promoted and every live node reports the cluster ok (the node timeout is 5 s).
     */
    public String killPrimary(String primary) {
        String replica = replicaOf(primary);
        // A replica whose link was down for long refuses to take over (its data may be old): wait
        // for the link, and let it take over whatever its age, as the test writes on.
        cli(
                List.of(
                        "-h",
                        host(replica),
                        "-p",
                        port(replica),
                        "CONFIG",
                        "SET",
                        "cluster-replica-validity-factor",
                        "0"));
        awaitReplicaLinkUp(replica);
        String info = cli(List.of("-h", host(primary), "-p", port(primary), "INFO", "server"));
        long pid = -1;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("process_id:")) {
                pid = Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        if (pid < 0) {
            throw new IllegalStateException("No process_id in INFO server of " + primary);
        }
        LOG.info("kill -9 {} (primary {}); its replica is {}", pid, primary, replica);
        ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("No process " + primary))
                .destroyForcibly();
        killedPorts.add(Integer.parseInt(port(primary)));
        awaitPrimaries(p -> p.contains(replica) && !p.contains(primary), "promotion of " + replica);
        return replica;
    }

    /**
     * Moves {@code slots} slots from primary {@code from} to primary {@code to} with {@code
     * redis-cli --cluster reshard} (MIGRATING/IMPORTING, MIGRATE of each key, SETSLOT NODE), and
     * returns once every node agrees.
     */
    public void moveSlots(String from, String to, int slots) {
        LOG.info("Moving {} slots from {} to {}", slots, from, to);
        cli(
                List.of(
                        "--cluster",
                        "reshard",
                        from,
                        "--cluster-from",
                        nodeId(from),
                        "--cluster-to",
                        nodeId(to),
                        "--cluster-slots",
                        String.valueOf(slots),
                        "--cluster-yes",
                        "--cluster-pipeline",
                        "10"));
        awaitPrimaries(p -> p.contains(from) && p.contains(to), "slots moved to " + to);
    }

    private void awaitReplicaLinkUp(String replica) {
        long deadline = System.nanoTime() + CHANGE_TIMEOUT.toNanos();
        String info = "";
        while (!info.contains("master_link_status:up")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "Replica " + replica + " did not report its link up; last:\n" + info);
            }
            info = cli(List.of("-h", host(replica), "-p", port(replica), "INFO", "replication"));
            if (!info.contains("master_link_status:up")) {
                LocalRedisCluster.pause();
            }
        }
    }

    /** {@code host:port} of the replica of {@code primary}. */
    public String replicaOf(String primary) {
        String id = nodeId(primary);
        for (String line : nodes(anyLiveNode()).split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 3 && fields[2].contains("slave") && fields[3].equals(id)) {
                return address(fields[1]);
            }
        }
        throw new IllegalStateException("Primary " + primary + " has no replica");
    }

    @Override
    public void close() {
        cluster.close();
    }

    private String nodeId(String address) {
        for (String line : nodes(anyLiveNode()).split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 1 && address(fields[1]).equals(address)) {
                return fields[0];
            }
        }
        throw new IllegalStateException("No node " + address + " in the cluster");
    }

    /**
     * Waits until every live node reports {@code cluster_state:ok} with all slots, and the
     * primaries with slots that each lists are the same and pass {@code expected}.
     */
    private void awaitPrimaries(Predicate<List<String>> expected, String what) {
        long deadline = System.nanoTime() + CHANGE_TIMEOUT.toNanos();
        String last = "";
        while (true) {
            List<String> agreed = null;
            boolean ok = true;
            for (EmbeddedRedisServer server : liveServers()) {
                String info = cli(LocalRedisCluster.nodeCommand(server, "INFO"));
                String nodes = nodes(server);
                last = server.port() + ":\n" + info + nodes;
                List<String> primaries;
                try {
                    primaries = LocalRedisCluster.primaries(nodes);
                } catch (IllegalStateException e) {
                    ok = false; // not three primaries with slots in this node's view yet
                    break;
                }
                ok &=
                        info.contains("cluster_state:ok")
                                && info.contains("cluster_slots_ok:16384")
                                && (agreed == null || agreed.equals(primaries))
                                && expected.test(addresses(primaries));
                agreed = primaries;
                if (!ok) {
                    break;
                }
            }
            if (ok) {
                LOG.info("Redis Cluster after {}: primaries {}", what, agreed);
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "The Redis Cluster did not settle after "
                                + what
                                + " within "
                                + CHANGE_TIMEOUT.toSeconds()
                                + " s; last seen on "
                                + last);
            }
            LocalRedisCluster.pause();
        }
    }

    private List<EmbeddedRedisServer> liveServers() {
        List<EmbeddedRedisServer> live = new ArrayList<>();
        for (EmbeddedRedisServer server : cluster.servers()) {
            if (!killedPorts.contains(server.port())) {
                live.add(server);
            }
        }
        return live;
    }

    private EmbeddedRedisServer anyLiveNode() {
        return liveServers().get(0);
    }

    private String nodes(EmbeddedRedisServer server) {
        return cli(LocalRedisCluster.nodeCommand(server, "NODES"));
    }

    private String cli(List<String> arguments) {
        return LocalRedisCluster.runCli(cluster.cli(), arguments);
    }

    private static List<String> addresses(List<String> uris) {
        List<String> addresses = new ArrayList<>();
        uris.forEach(uri -> addresses.add(uri.substring("redis://".length())));
        return addresses;
    }

    /** {@code host:port} of a CLUSTER NODES address field, {@code host:port@bus[,hostname]}. */
    private static String address(String field) {
        return field.split("[@,]")[0];
    }

    private static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    private static String port(String address) {
        return address.substring(address.lastIndexOf(':') + 1);
    }
}
