package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.client.RedisTopology;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.testing.RedisClusterEndpoint;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs {@link RedisSource} in a MiniCluster against the test run's Redis Cluster (three primaries)
 * and checks what it emits against the cluster itself, read with Lettuce's cluster client.
 */
class RedisSourceClusterITCase {

    private static final int KEYS = 3_000;
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(3)
                            .build());

    private RedisClusterEndpoint cluster;
    private RedisClusterClient client;
    private StatefulRedisClusterConnection<String, String> connection;
    private String prefix;
    private final Set<String> created = new HashSet<>();

    @BeforeEach
    void connect() {
        cluster = TestServices.redisCluster();
        client = RedisClusterClient.create(RedisURI.create(cluster.seedUri()));
        connection = client.connect();
        prefix = TestServices.uniqueName("cluster-source") + ":";
    }

    @AfterEach
    void deleteOwnKeys() {
        try {
            for (String key : created) {
                connection.sync().del(key);
            }
        } finally {
            connection.close();
            client.shutdown();
        }
    }

    @Test
    @Timeout(180)
    void snapshotReadsEveryKeyOfEveryPrimaryExactlyOnce() throws Exception {
        Map<String, String> written = writeKeys(0, KEYS, "v");
        assertThat(primariesOf(written.keySet())).hasSize(3);

        for (int parallelism : new int[] {3, 1}) {
            List<RedisRecord> records = new ArrayList<>();
            try (CloseableIterator<RedisRecord> it =
                    start(source(RedisTailMode.NONE), parallelism)) {
                it.forEachRemaining(records::add);
            }

            Map<String, Integer> counts = new HashMap<>();
            for (RedisRecord record : records) {
                counts.merge(text(record.getKey()), 1, Integer::sum);
            }
            assertThat(counts.keySet())
                    .as("parallelism " + parallelism)
                    .isEqualTo(written.keySet());
            assertThat(counts.values()).as("parallelism " + parallelism).containsOnly(1);
            for (RedisRecord record : records) {
                String key = text(record.getKey());
                // The oracle: the cluster as Lettuce's cluster client reads it.
                assertThat(text(record.getValues()[0]))
                        .as(key)
                        .isEqualTo(connection.sync().get(key));
                assertThat(record.getDatabase()).isZero();
            }
        }
    }

    @Test
    @Timeout(240)
    void keyspaceTailFollowsWritesAndDeletesOnEveryPrimary() throws Exception {
        Map<String, String> written = writeKeys(0, KEYS, "v");
        Map<String, RedisRecord> latest = new ConcurrentHashMap<>();
        try (CloseableIterator<RedisRecord> it = start(source(RedisTailMode.KEYSPACE), 3)) {
            Thread collector = collect(it, latest);
            awaitTrue(
                    "every key read by the snapshot",
                    () -> latest.keySet().containsAll(written.keySet()));

            // Updates, deletes and new keys, on every primary.
            Map<String, String> updated = writeKeys(0, 300, "updated");
            List<String> deleted = new ArrayList<>();
            for (int i = 300; i < 600; i++) {
                deleted.add(prefix + i);
                connection.sync().del(prefix + i);
            }
            Map<String, String> added = writeKeys(KEYS, KEYS + 300, "new");
            assertThat(primariesOf(updated.keySet())).hasSize(3);
            assertThat(primariesOf(deleted)).hasSize(3);
            assertThat(primariesOf(added.keySet())).hasSize(3);

            awaitTrue("every change followed", () -> matchesCluster(created, latest));
            it.close();
            collector.join(Duration.ofSeconds(30).toMillis());
        }
    }

    @Test
    @Timeout(240)
    void channelTailFollowsChangesPublishedOnAnyNode() throws Exception {
        String channel = TestServices.uniqueName("changes");
        Map<String, String> written = writeKeys(0, 300, "v");
        Map<String, RedisRecord> latest = new ConcurrentHashMap<>();
        RedisSource source =
                RedisSource.builder()
                        .setRedisUri(cluster.seedUri())
                        .setKeyPatterns(List.of(prefix + "*"))
                        .setTailMode(RedisTailMode.CHANNEL)
                        .setTailChannel(channel)
                        .build();
        try (CloseableIterator<RedisRecord> it = start(source, 3)) {
            Thread collector = collect(it, latest);
            awaitTrue(
                    "every key read by the snapshot",
                    () -> latest.keySet().containsAll(written.keySet()));

            // A writer publishes each key it changed; the node that takes the PUBLISH varies.
            Map<String, String> updated = writeKeys(0, 100, "updated");
            List<String> deleted = new ArrayList<>();
            for (int i = 100; i < 200; i++) {
                deleted.add(prefix + i);
                connection.sync().del(prefix + i);
            }
            List<String> changed = new ArrayList<>(updated.keySet());
            changed.addAll(deleted);
            assertThat(primariesOf(changed)).hasSize(3);
            for (String key : changed) {
                connection.sync().publish(channel, key);
            }

            awaitTrue("every published change followed", () -> matchesCluster(changed, latest));
            it.close();
            collector.join(Duration.ofSeconds(30).toMillis());
        }
    }

    @Test
    @Timeout(240)
    void streamTailFollowsTheKeysItsEntriesNameOnEveryPrimary() throws Exception {
        String stream = TestServices.uniqueName("stream");
        created.add(stream);
        Map<String, String> written = writeKeys(0, 300, "v");
        Map<String, RedisRecord> latest = new ConcurrentHashMap<>();
        RedisSource source =
                RedisSource.builder()
                        .setRedisUri(cluster.seedUri())
                        .setKeyPatterns(List.of(prefix + "*"))
                        .setTailMode(RedisTailMode.STREAM)
                        .setTailStream(stream)
                        .build();
        try (CloseableIterator<RedisRecord> it = start(source, 3)) {
            Thread collector = collect(it, latest);
            awaitTrue(
                    "every key read by the snapshot",
                    () -> latest.keySet().containsAll(written.keySet()));

            // A writer appends an entry for each key it changed, to a stream on one primary.
            Map<String, String> updated = writeKeys(0, 100, "updated");
            List<String> changed = new ArrayList<>(updated.keySet());
            for (int i = 100; i < 200; i++) {
                changed.add(prefix + i);
                connection.sync().del(prefix + i);
            }
            assertThat(primariesOf(changed)).hasSize(3);
            for (String key : changed) {
                connection.sync().xadd(stream, Map.of("key", key));
            }

            awaitTrue("every entry's key followed", () -> matchesCluster(changed, latest));
            it.close();
            collector.join(Duration.ofSeconds(30).toMillis());
        }
    }

    @Test
    void aClusterGetsAScanAndATailSplitPerPrimaryAndRefusesAnotherDatabase() throws Exception {
        RedisTopology topology = RedisTopology.discover(source(RedisTailMode.NONE).configuration());
        List<String> primaries = new ArrayList<>();
        cluster.primaries().forEach(uri -> primaries.add(uri.substring("redis://".length())));

        List<RedisSourceSplit> splits = source(RedisTailMode.KEYSPACE).initialSplits(topology);

        assertThat(splits).hasSize(6);
        assertThat(
                        splits.stream()
                                .filter(RedisSourceSplit::isScanSplit)
                                .map(RedisSourceSplit::node))
                .containsExactlyInAnyOrderElementsOf(primaries);
        assertThat(splits.stream().filter(s -> !s.isScanSplit()).map(RedisSourceSplit::node))
                .containsExactlyInAnyOrderElementsOf(primaries);
        assertThat(splits).allMatch(split -> split.database() == 0);
        assertThatThrownBy(
                        () ->
                                RedisSource.builder()
                                        .setRedisUri(cluster.seedUri())
                                        .setDatabase(1)
                                        .build()
                                        .initialSplits(topology))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RedisSourceOptions.DATABASE.key());
    }

    /**
     * Whether the newest record of each of {@code keys} is what the cluster holds now (the oracle:
     * Lettuce's cluster client): its value, or a delete for a key that is gone.
     */
    private boolean matchesCluster(Collection<String> keys, Map<String, RedisRecord> latest) {
        for (String key : keys) {
            String expected = connection.sync().get(key);
            RedisRecord record = latest.get(key);
            boolean matches =
                    record != null
                            && (expected == null
                                    ? record.getOp() == RedisRecord.Op.DELETE
                                    : record.getOp() == RedisRecord.Op.UPSERT
                                            && expected.equals(text(record.getValues()[0])));
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    private RedisSource source(RedisTailMode tail) {
        return RedisSource.builder()
                .setRedisUri(cluster.seedUri())
                .setKeyPatterns(List.of(prefix + "*"))
                .setScanCount(100)
                .setReadBatchSize(200)
                .setTailMode(tail)
                .build();
    }

    private static CloseableIterator<RedisRecord> start(RedisSource source, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(500);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis-cluster")
                .executeAndCollect("redis-cluster-source-it");
    }

    /** Keeps the newest record of each key (catch-up markers are no keys) until the job ends. */
    private static Thread collect(CloseableIterator<RedisRecord> it, Map<String, RedisRecord> to) {
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                while (it.hasNext()) {
                                    RedisRecord record = it.next();
                                    if (!record.isCatchUpMarker()) {
                                        to.merge(
                                                text(record.getKey()),
                                                record,
                                                (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
                                    }
                                }
                            } catch (RuntimeException e) {
                                // The iterator was closed: the job is cancelled.
                            }
                        },
                        "cluster-source-collector");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private Map<String, String> writeKeys(int from, int to, String value) {
        Map<String, String> batch = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            batch.put(prefix + i, value + i);
        }
        created.addAll(batch.keySet());
        // The cluster client splits a multi-key MSET by slot and sends each part to its primary.
        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        sync.mset(batch);
        return batch;
    }

    /** The ids of the primaries that own {@code keys}. */
    private Set<String> primariesOf(Iterable<String> keys) {
        Set<String> owners = new HashSet<>();
        for (String key : keys) {
            owners.add(
                    connection
                            .getPartitions()
                            .getPartitionBySlot(SlotHash.getSlot(key))
                            .getNodeId());
        }
        return owners;
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not within " + CONVERGE.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
