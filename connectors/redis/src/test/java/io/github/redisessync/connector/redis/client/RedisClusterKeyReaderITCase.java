package io.github.redisessync.connector.redis.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.testing.PrivateRedisCluster;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisKeyReader#open} on one node of a Redis Cluster reads, checks and scans the keys of
 * every primary, as Lettuce's cluster client sees them.
 */
class RedisClusterKeyReaderITCase {

    private static final int KEYS = 300;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void readsChecksAndScansTheKeysOfEveryPrimaryFromOneNode() throws Exception {
        RedisClusterEndpoint cluster = TestServices.redisCluster();
        String prefix = TestServices.uniqueName("cluster-reader") + ":";
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create(cluster.seedUri()));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> oracle = connection.sync();
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                oracle.set(prefix + i, "v" + i);
                keys.add((prefix + i).getBytes(StandardCharsets.UTF_8));
            }
            byte[] gone = (prefix + "gone").getBytes(StandardCharsets.UTF_8);
            keys.add(gone);
            assertThat(cluster.primaries().size()).isGreaterThan(1);

            for (String node : cluster.nodes()) {
                try (RedisKeyReader reader = RedisKeyReader.open(config(node))) {
                    List<RedisRecord> records = reader.read(keys);
                    assertThat(records).hasSize(keys.size());
                    for (int i = 0; i < KEYS; i++) {
                        assertThat(records.get(i).getKey()).isEqualTo(keys.get(i));
                        assertThat(records.get(i).getOp()).isEqualTo(RedisRecord.Op.UPSERT);
                        assertThat(
                                        new String(
                                                records.get(i).getValues()[0],
                                                StandardCharsets.UTF_8))
                                .isEqualTo(oracle.get(prefix + i));
                    }
                    assertThat(records.get(KEYS).getOp()).isEqualTo(RedisRecord.Op.DELETE);

                    long before = reader.serverTimeMicros();
                    RedisKeyReader.Existence existence = reader.exists(keys);
                    for (int i = 0; i < KEYS; i++) {
                        assertThat(existence.exists(i)).as("key %s", i).isTrue();
                    }
                    assertThat(existence.exists(KEYS)).isFalse();
                    assertThat(existence.timeMicros()).isPositive();
                    assertThat(existence.timeMicros() - before).isLessThan(60_000_000L);

                    Set<String> scanned = new HashSet<>();
                    reader.scan(
                            prefix + "*",
                            50,
                            batch ->
                                    batch.forEach(
                                            key ->
                                                    scanned.add(
                                                            new String(
                                                                    key, StandardCharsets.UTF_8))));
                    assertThat(scanned)
                            .as("scan from %s", node)
                            .isEqualTo(
                                    keys.subList(0, KEYS).stream()
                                            .map(k -> new String(k, StandardCharsets.UTF_8))
                                            .collect(Collectors.toSet()));
                }
            }
            Set<Integer> slots = new HashSet<>();
            keys.forEach(key -> slots.add(SlotHash.getSlot(key)));
            assertThat(slots.size()).as("the keys spread over slots").isGreaterThan(100);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void followsMovedSlotsAndAKilledPrimaryWithoutFailing() throws Exception {
        try (PrivateRedisCluster cluster = PrivateRedisCluster.start()) {
            List<String> primaries = cluster.primaries();
            String seed = primaries.get(0);
            RedisClusterClient client =
                    RedisClusterClient.create(RedisURI.create(cluster.endpoint().seedUri()));
            try (StatefulRedisClusterConnection<String, String> connection = client.connect();
                    RedisKeyReader reader = RedisKeyReader.open(config("redis://" + seed))) {
                RedisAdvancedClusterCommands<String, String> oracle = connection.sync();
                List<byte[]> keys = new ArrayList<>();
                for (int i = 0; i < KEYS; i++) {
                    oracle.set("k:" + i, "v" + i);
                    keys.add(("k:" + i).getBytes(StandardCharsets.UTF_8));
                }
                assertReadsAll(reader, keys);

                // The reader's topology is now stale: keys of the moved slots meet MOVED.
                cluster.moveSlots(primaries.get(1), primaries.get(0), 2000);
                assertReadsAll(reader, keys);

                // Its connection to the killed primary is lost; the replica takes over.
                cluster.killPrimary(primaries.get(2));
                assertReadsAll(reader, keys);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    private static void assertReadsAll(RedisKeyReader reader, List<byte[]> keys) throws Exception {
        List<RedisRecord> records = reader.read(keys);
        assertThat(records).hasSize(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            assertThat(records.get(i).getOp()).as("k:%s", i).isEqualTo(RedisRecord.Op.UPSERT);
            assertThat(new String(records.get(i).getValues()[0], StandardCharsets.UTF_8))
                    .isEqualTo("v" + i);
        }
        RedisKeyReader.Existence existence = reader.exists(keys);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(existence.exists(i)).as("k:%s exists", i).isTrue();
        }
        Set<String> scanned = new HashSet<>();
        reader.scan(
                "k:*",
                100,
                batch ->
                        batch.forEach(key -> scanned.add(new String(key, StandardCharsets.UTF_8))));
        assertThat(scanned).hasSize(keys.size());
    }

    private static Configuration config(String uri) {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, uri);
        return config;
    }
}
