package io.github.redisessync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@link LocalRedisCluster} reads {@code CLUSTER INFO} and {@code CLUSTER NODES}. */
class LocalRedisClusterTest {

    private static final String INFO =
            "cluster_state:ok\ncluster_slots_assigned:16384\ncluster_slots_ok:16384\n"
                    + "cluster_known_nodes:6\n";

    private static final String PRIMARIES =
            "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460\n"
                    + "a2 127.0.0.1:7002@17002 master - 0 1 2 connected 5461-10922\n"
                    + "a3 127.0.0.1:7003@17003 master - 0 1 3 connected 10923-16383\n";

    @Test
    void aClusterIsReadyOnceItsReplicasAreKnownAsReplicas() {
        String replicas =
                "b1 127.0.0.1:7004@17004 slave a1 0 1 1 connected\n"
                        + "b2 127.0.0.1:7005@17005 slave a2 0 1 2 connected\n"
                        + "b3 127.0.0.1:7006@17006 slave a3 0 1 3 connected\n";

        assertThat(LocalRedisCluster.isReady(INFO + PRIMARIES + replicas)).isTrue();
    }

    @Test
    void aReplicaStillListedAsASlotlessPrimaryIsNotReady() {
        String replicas =
                "b1 127.0.0.1:7004@17004 slave a1 0 1 1 connected\n"
                        + "b2 127.0.0.1:7005@17005 slave a2 0 1 2 connected\n"
                        + "b3 127.0.0.1:7006@17006 master - 0 1 5 connected\n";

        assertThat(LocalRedisCluster.isReady(INFO + PRIMARIES + replicas)).isFalse();
        assertThat(LocalRedisCluster.isReady(PRIMARIES)).isFalse();
    }

    @Test
    void listsThePrimariesThatServeSlots() {
        String nodes = PRIMARIES + "b3 127.0.0.1:7006@17006 master - 0 1 5 connected\n";

        assertThat(LocalRedisCluster.primaries(nodes))
                .containsExactly(
                        "redis://127.0.0.1:7001",
                        "redis://127.0.0.1:7002",
                        "redis://127.0.0.1:7003");
    }
}
