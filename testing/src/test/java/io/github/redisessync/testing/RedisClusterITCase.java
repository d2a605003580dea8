package io.github.redisessync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Redis Cluster of the test run: real, complete, and reached the way the connector would. */
class RedisClusterITCase {

    @Test
    @Timeout(120)
    void threePrimariesWithAReplicaEachServeEverySlotAndKeyspaceNotifications() {
        RedisClusterEndpoint cluster = TestServices.redisCluster();
        String prefix = TestServices.uniqueName("cluster");

        assertThat(cluster.nodes()).hasSize(6);
        assertThat(cluster.primaries()).hasSize(3);
        assertThat(cluster.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create(cluster.seedUri()));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            List<RedisClusterNode> primaries =
                    connection.getPartitions().stream()
                            .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM))
                            .toList();
            assertThat(primaries).hasSize(3);
            assertThat(primaries.stream().mapToInt(n -> n.getSlots().size()).sum())
                    .isEqualTo(SlotHash.SLOT_COUNT);
            assertThat(
                            connection.getPartitions().stream()
                                    .filter(n -> n.is(RedisClusterNode.NodeFlag.REPLICA))
                                    .count())
                    .isEqualTo(3);

            // Keys land on every primary, and each reads back through the cluster client.
            Set<String> owners = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                String key = prefix + ":" + i;
                connection.sync().set(key, "v" + i);
                owners.add(
                        connection
                                .getPartitions()
                                .getPartitionBySlot(SlotHash.getSlot(key))
                                .getNodeId());
            }
            for (int i = 0; i < 30; i++) {
                assertThat(connection.sync().get(prefix + ":" + i)).isEqualTo("v" + i);
            }
            assertThat(owners).hasSize(3);
            for (int i = 0; i < 30; i++) {
                connection.sync().del(prefix + ":" + i);
            }
        } finally {
            client.shutdown();
        }
        for (String node : cluster.nodes()) {
            io.lettuce.core.RedisClient plain = io.lettuce.core.RedisClient.create(node);
            try (StatefulRedisConnection<String, String> connection = plain.connect()) {
                assertThat(connection.sync().configGet("notify-keyspace-events").values())
                        .singleElement()
                        .asString()
                        .contains("K");
                assertThat(connection.sync().clusterInfo()).contains("cluster_state:ok");
            } finally {
                plain.shutdown();
            }
        }
    }

    @Test
    void everyCallReturnsTheSameCluster() {
        assertThat(TestServices.redisCluster()).isSameAs(TestServices.redisCluster());
    }

    @Test
    void aMissingRedisCliFailsNamingWhereItLooked(@TempDir Path empty) throws Exception {
        Path server = Files.createFile(empty.resolve("redis-server"));

        assertThatThrownBy(() -> LocalRedisCluster.findCli(server, empty.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-cli")
                .hasMessageContaining(server.toString())
                .hasMessageContaining("redis-tools");
    }
}
