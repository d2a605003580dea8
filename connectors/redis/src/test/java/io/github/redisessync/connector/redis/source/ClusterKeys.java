package io.github.redisessync.connector.redis.source;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of keys on a Redis Cluster, a writer thread that sets and deletes them, and the
 * oracle that reads them back with Lettuce's cluster client (following MOVED, ASK and failovers
 * with its own topology refresh), independently of the source.
 */
final class ClusterKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterKeys.class);

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final String prefix;
    private final int count;
    private final AtomicLong writes = new AtomicLong();
    private volatile boolean writing;
    private Thread writer;

    ClusterKeys(String seedUri, String prefix, int count) {
        this.client = RedisClusterClient.create(RedisURI.create(seedUri));
        client.setOptions(
                ClusterClientOptions.builder()
                        .topologyRefreshOptions(
                                ClusterTopologyRefreshOptions.builder()
                                        .enablePeriodicRefresh(Duration.ofMillis(500))
                                        .enableAllAdaptiveRefreshTriggers()
                                        .build())
                        .build());
        this.connection = client.connect();
        connection.setTimeout(Duration.ofSeconds(5));
        this.prefix = prefix;
        this.count = count;
    }

    String prefix() {
        return prefix;
    }

    String key(int i) {
        return prefix + i;
    }

    /** Sets every key once. */
    void writeAll() {
        Map<String, String> batch = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            batch.put(key(i), "v" + i);
        }
        connection.sync().mset(batch);
    }

    /** The slots' owners of the keys: the ids of the primaries. */
    Set<String> primariesOfKeys() {
        Set<String> owners = new HashSet<>();
        for (int i = 0; i < count; i++) {
            owners.add(
                    connection
                            .getPartitions()
                            .getPartitionBySlot(SlotHash.getSlot(key(i)))
                            .getNodeId());
        }
        return owners;
    }

    /**
     * Starts a thread that goes round the keys: each seventh write a DEL, the others a SET of a new
     * value, each followed by a PUBLISH of the key on {@code channel} unless it is null. A failed
     * write (a primary down until its replica takes over) is retried.
     */
    void startWriter(@Nullable String channel) {
        writing = true;
        writer =
                new Thread(
                        () -> {
                            RedisAdvancedClusterCommands<String, String> sync = connection.sync();
                            long n = 0;
                            while (writing) {
                                String key = key((int) (n % count));
                                try {
                                    if (n % 7 == 3) {
                                        sync.del(key);
                                    } else {
                                        sync.set(key, "w" + n);
                                    }
                                    if (channel != null) {
                                        sync.publish(channel, key);
                                    }
                                    n++;
                                    writes.incrementAndGet();
                                } catch (RuntimeException e) {
                                    LOG.info("Write of {} failed, retrying: {}", key, e.toString());
                                    pause();
                                }
                            }
                        },
                        "cluster-writer");
        writer.setDaemon(true);
        writer.start();
    }

    long writes() {
        return writes.get();
    }

    void stopWriter() throws InterruptedException {
        writing = false;
        if (writer != null) {
            writer.join(Duration.ofSeconds(30).toMillis());
            writer = null;
        }
    }

    /** How many keys {@code output} does not hold as the cluster does now. */
    int mismatches(SourceOutput output) {
        int mismatches = 0;
        String example = null;
        for (int i = 0; i < count; i++) {
            String value = connection.sync().get(key(i));
            if (!output.holds(key(i), value)) {
                mismatches++;
                example = example == null ? key(i) + "=" + value : example;
            }
        }
        if (mismatches > 0) {
            LOG.info("{} keys differ from the cluster, e.g. {}", mismatches, example);
        }
        return mismatches;
    }

    @Override
    public void close() throws InterruptedException {
        stopWriter();
        connection.close();
        client.shutdown();
    }

    /** After a failed write: the client's topology refresh needs a moment (not a condition). */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
