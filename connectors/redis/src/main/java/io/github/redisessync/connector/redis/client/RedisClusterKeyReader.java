package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.function.ThrowingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link RedisKeyReader} opened on a Redis Cluster node does: each key is read, or checked,
 * on the primary that serves its slot, and a scan scans every primary.
 *
 * <p>A {@code MOVED} or {@code ASK} (a slot that moved or is moving), or a primary that cannot be
 * reached (a failover), makes it ask the cluster for its topology again and retry the keys it
 * touched, until {@code cluster.failover-timeout} has passed since the first failure of the call.
 */
final class RedisClusterKeyReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterKeyReader.class);

    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 1_000;

    private final ReadableConfig config;
    private final int database;
    private final int maxValueElements;
    private final int maxValueBytes;
    private final long retryNanos;
    private final Map<String, RedisKeyReader> nodes = new HashMap<>();
    private RedisTopology topology;

    RedisClusterKeyReader(
            ReadableConfig config,
            RedisTopology topology,
            int database,
            int maxValueElements,
            int maxValueBytes) {
        this.config = config;
        this.topology = topology;
        this.database = database;
        this.maxValueElements = maxValueElements;
        this.maxValueBytes = maxValueBytes;
        this.retryNanos = config.get(RedisSourceOptions.CLUSTER_FAILOVER_TIMEOUT).toNanos();
    }

    String description() {
        return "Redis Cluster of " + topology.primaries().size() + " primaries " + topology;
    }

    /**
     * Scans every primary in turn. When a primary fails mid-scan, the topology is asked again and
     * the scan starts over on every primary (SCAN promises no more than every key at least once).
     */
    void scan(String glob, int count, ThrowingConsumer<List<byte[]>, IOException> batches)
            throws IOException {
        Retry retry = new Retry();
        while (true) {
            boolean[] consumerFailed = {false};
            try {
                for (RedisTopology.Primary primary : topology.primaries()) {
                    node(primary.address())
                            .scan(
                                    glob,
                                    count,
                                    keys -> {
                                        try {
                                            batches.accept(keys);
                                        } catch (IOException | RuntimeException e) {
                                            consumerFailed[0] = true;
                                            throw e;
                                        }
                                    });
                }
                return;
            } catch (IOException e) {
                if (consumerFailed[0]) {
                    throw e;
                }
                retry.after(e, "SCAN MATCH " + glob);
            }
        }
    }

    /**
     * Checks each key on its slot's primary, with that primary's {@code TIME} read before its
     * checks. The batch's time is the earliest of those: no primary's check came before it, so a
     * delete versioned with it never overwrites a write a check did not see.
     */
    RedisKeyReader.Existence exists(List<byte[]> keys) throws IOException {
        Retry retry = new Retry();
        while (true) {
            try {
                boolean[] exists = new boolean[keys.size()];
                long time = Long.MAX_VALUE;
                for (Map.Entry<String, List<Integer>> group : byOwner(keys).entrySet()) {
                    List<Integer> indexes = group.getValue();
                    RedisKeyReader.Existence part =
                            node(group.getKey()).exists(pick(keys, indexes));
                    time = Math.min(time, part.timeMicros());
                    for (int j = 0; j < indexes.size(); j++) {
                        exists[indexes.get(j)] = part.exists(j);
                    }
                }
                if (time == Long.MAX_VALUE) {
                    time = serverTimeMicros();
                }
                return new RedisKeyReader.Existence(time, exists);
            } catch (IOException e) {
                retry.after(e, "EXISTS of " + keys.size() + " keys");
            }
        }
    }

    /**
     * The latest {@code TIME} of the primaries: a version every primary's clock has passed, so what
     * is versioned with it follows every read made before it.
     */
    long serverTimeMicros() throws IOException {
        Retry retry = new Retry();
        while (true) {
            try {
                long time = Long.MIN_VALUE;
                for (RedisTopology.Primary primary : topology.primaries()) {
                    time = Math.max(time, node(primary.address()).serverTimeMicros());
                }
                return time;
            } catch (IOException e) {
                retry.after(e, "TIME");
            }
        }
    }

    /** Reads each key on its slot's primary; redirected keys are read again where they went. */
    List<RedisRecord> read(List<byte[]> keys) throws IOException {
        RedisRecord[] records = new RedisRecord[keys.size()];
        List<Integer> pending = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            pending.add(i);
        }
        Retry retry = new Retry();
        while (!pending.isEmpty()) {
            List<Integer> again = new ArrayList<>();
            IOException failure = null;
            for (Map.Entry<String, List<Integer>> group : byOwner(keys, pending).entrySet()) {
                List<Integer> indexes = group.getValue();
                List<byte[]> part = pick(keys, indexes);
                List<byte[]> redirected = new ArrayList<>();
                List<RedisRecord> read;
                try {
                    read = node(group.getKey()).read(part, redirected);
                } catch (IOException e) {
                    failure = e;
                    again.addAll(indexes);
                    continue;
                }
                Set<byte[]> moved = Collections.newSetFromMap(new IdentityHashMap<>());
                moved.addAll(redirected);
                int next = 0;
                for (int j = 0; j < part.size(); j++) {
                    if (moved.contains(part.get(j))) {
                        again.add(indexes.get(j));
                    } else {
                        records[indexes.get(j)] = read.get(next++);
                    }
                }
            }
            if (!again.isEmpty()) {
                retry.after(
                        failure != null
                                ? failure
                                : new IOException(again.size() + " keys were redirected"),
                        "reads of " + again.size() + " keys");
            }
            pending = again;
        }
        List<RedisRecord> result = new ArrayList<>(records.length);
        Collections.addAll(result, records);
        return result;
    }

    private Map<String, List<Integer>> byOwner(List<byte[]> keys) {
        List<Integer> all = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            all.add(i);
        }
        return byOwner(keys, all);
    }

    private Map<String, List<Integer>> byOwner(List<byte[]> keys, List<Integer> indexes) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : indexes) {
            String owner = topology.primaryOf(keys.get(i)).address();
            groups.computeIfAbsent(owner, o -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    private static List<byte[]> pick(List<byte[]> keys, List<Integer> indexes) {
        List<byte[]> part = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            part.add(keys.get(i));
        }
        return part;
    }

    private RedisKeyReader node(String address) throws IOException {
        RedisKeyReader reader = nodes.get(address);
        if (reader == null) {
            reader =
                    RedisKeyReader.openNode(
                            config, address, database, maxValueElements, maxValueBytes);
            nodes.put(address, reader);
        }
        return reader;
    }

    /** Asks the URI's node, then each known primary, for the topology; drops readers of others. */
    private void refresh() throws IOException {
        List<String> seeds = new ArrayList<>();
        seeds.add(null);
        topology.primaries().forEach(p -> seeds.add(p.address()));
        IOException last = null;
        for (String seed : seeds) {
            try {
                RedisTopology found = RedisTopology.discover(config, seed);
                if (found.isCluster()) {
                    topology = found;
                    Set<String> primaries = new java.util.HashSet<>();
                    found.primaries().forEach(p -> primaries.add(p.address()));
                    nodes.entrySet()
                            .removeIf(
                                    node -> {
                                        if (primaries.contains(node.getKey())) {
                                            return false;
                                        }
                                        node.getValue().close();
                                        return true;
                                    });
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("No node of the Redis Cluster gave its topology", last);
    }

    @Override
    public void close() {
        nodes.values().forEach(RedisKeyReader::close);
        nodes.clear();
    }

    /** Retries of one call: a refresh of the topology and a growing pause, up to the deadline. */
    private final class Retry {
        private long deadline;
        private long pause = FIRST_PAUSE_MILLIS;
        private boolean started;

        void after(IOException failure, String what) throws IOException {
            long now = System.nanoTime();
            if (!started) {
                started = true;
                deadline = now + retryNanos;
            }
            if (now - deadline >= 0) {
                throw new IOException(
                        what
                                + " on the Redis Cluster still failed after "
                                + config.get(RedisSourceOptions.CLUSTER_FAILOVER_TIMEOUT)
                                + " (cluster.failover-timeout) of retries: "
                                + failure.getMessage(),
                        failure);
            }
            LOG.info(
                    "{} on the Redis Cluster failed ({}); asking for its topology and retrying",
                    what,
                    failure.getMessage());
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while retrying " + what, e);
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            try {
                refresh();
            } catch (IOException e) {
                LOG.debug("Asking for the topology failed", e);
            }
        }
    }
}
