package io.github.redisessync.connector.redis.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.testing.RedisClusterEndpoint;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@link RedisTopology} against the test run's Redis Cluster and its standalone Redis. */
class RedisTopologyITCase {

    private static Configuration config(String uri) {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, uri);
        return config;
    }

    @Test
    void listsThePrimariesOfAClusterWithTheirSlotsFromAnyNode() throws Exception {
        RedisClusterEndpoint cluster = TestServices.redisCluster();
        List<String> expected =
                cluster.primaries().stream()
                        .map(uri -> uri.substring("redis://".length()))
                        .sorted()
                        .collect(Collectors.toList());

        for (String node : cluster.nodes()) {
            RedisTopology topology = RedisTopology.discover(config(node));

            assertThat(topology.isCluster()).as(node).isTrue();
            assertThat(topology.primaries())
                    .as(node)
                    .extracting(RedisTopology.Primary::address)
                    .containsExactlyElementsOf(expected);
            assertThat(topology.primaries().stream().mapToInt(RedisTopology.Primary::slotCount))
                    .as(node)
                    .allMatch(count -> count > 0);
            assertThat(
                            topology.primaries().stream()
                                    .mapToInt(RedisTopology.Primary::slotCount)
                                    .sum())
                    .isEqualTo(SlotHash.SLOT_COUNT);
            assertThat(topology.primaries())
                    .extracting(RedisTopology.Primary::nodeId)
                    .allMatch(id -> id.length() == 40);
        }
    }

    @Test
    void clusterSlotsAndClusterShardsAgree() throws Exception {
        RedisClusterEndpoint cluster = TestServices.redisCluster();
        Configuration config = config(cluster.seedUri());
        try (RedisConnection connection = RedisConnection.open(config, 0)) {
            List<RedisTopology.Primary> fromSlots =
                    RedisTopology.fromSlots(
                            connection.call(connection.async().clusterSlots(), "CLUSTER SLOTS"));
            RedisTopology discovered = RedisTopology.discover(config);

            assertThat(fromSlots).hasSize(3);
            assertThat(discovered.primaries().toString()).isEqualTo(fromSlots.toString());
            // CLUSTER SHARDS came with Redis 7; before, discover() read CLUSTER SLOTS above.
            if (Integer.parseInt(cluster.version().split("\\.")[0]) >= 7) {
                List<RedisTopology.Primary> fromShards =
                        RedisTopology.fromShards(
                                connection.call(
                                        connection.async().clusterShards(), "CLUSTER SHARDS"),
                                false);
                assertThat(fromShards.toString()).isEqualTo(fromSlots.toString());
            }
        }
    }

    @Test
    void findsThePrimaryOfAKey() throws Exception {
        RedisTopology topology =
                RedisTopology.discover(config(TestServices.redisCluster().seedUri()));
        byte[] key = "user:{42}".getBytes(StandardCharsets.UTF_8);

        RedisTopology.Primary owner = topology.primaryOf(key);

        assertThat(owner.servesSlot(SlotHash.getSlot(key))).isTrue();
        assertThat(topology.primaries().stream().filter(p -> p.servesSlot(SlotHash.getSlot(key))))
                .containsExactly(owner);
    }

    @Test
    void aStandaloneServerIsItsOnlyPrimary() throws Exception {
        RedisURI uri = RedisURI.create(RedisTestClient.uri());

        RedisTopology topology = RedisTopology.discover(config(RedisTestClient.uri()));

        assertThat(topology.isCluster()).isFalse();
        assertThat(topology.primaries())
                .extracting(RedisTopology.Primary::address)
                .containsExactly(uri.getHost() + ":" + uri.getPort());
        assertThat(topology.primaries().get(0).slotCount()).isEqualTo(SlotHash.SLOT_COUNT);
    }

    @Test
    void aUserWithoutInfoReadsAStandaloneServerAsBefore() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        // A server of its own: the user's rights are the point, and the shared one has none.
        try (EmbeddedRedisServer redis =
                EmbeddedRedisServer.start(
                        "--user", "reader", "on", ">" + password, "~*", "+@all", "-info")) {
            RedisTopology topology =
                    RedisTopology.discover(
                            config("redis://reader:" + password + "@127.0.0.1:" + redis.port()));

            assertThat(topology.isCluster()).isFalse();
            assertThat(topology.primaries())
                    .extracting(RedisTopology.Primary::address)
                    .containsExactly("127.0.0.1:" + redis.port());
        }
    }

    @Test
    void keyspaceNotificationsAreCheckedOnEveryPrimary() throws Exception {
        // The test cluster starts with KEA on every node: the check passes without setting.
        RedisKeyspaceNotifications.ensure(config(TestServices.redisCluster().seedUri()), 0);
    }
}
