package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.RedisClusterEndpoint;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local --redis <one cluster node>} syncs every primary of a Redis Cluster: the snapshot,
 * the tail under a writer that updates, deletes and creates keys on every primary, and the sweep of
 * a fresh start, which deletes the documents of keys (of every primary) gone before it started.
 * Elasticsearch ends equal to the cluster as Lettuce's cluster client reads it, and {@code verify}
 * (and {@code --repair}) on the cluster agree.
 */
class LocalClusterITCase {

    private static final int KEYS = 900;
    private static final int GONE = 60;
    private static final int CHANGES = 1500;

    @TempDir Path dir;

    private String prefix;
    private RedisClusterEndpoint cluster;
    private RedisClusterClient client;
    private SearchClient search;

    @BeforeEach
    void connect() {
        prefix = TestServices.uniqueName("cluster-local");
        cluster = TestServices.redisCluster();
        client = RedisClusterClient.create(RedisURI.create(cluster.seedUri()));
        search = new SearchClient(TestServices.elasticsearch().url());
    }

    /** Only what this test made: its keys and its index. */
    @AfterEach
    void removeWhatThisTestMade() throws Exception {
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            // One DEL per key: a DEL of many keys must keep to one slot on a cluster.
            LocalResumeITCase.redisHashes(connection.sync(), prefix)
                    .keySet()
                    .forEach(id -> connection.sync().del(key(id)));
            search.send("DELETE", "/" + prefix + "?ignore_unavailable=true", null);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void syncsSweepsAndVerifiesEveryPrimaryFromOneNode() throws Exception {
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = connection.sync();
            for (int i = 0; i < KEYS; i++) {
                redis.hset(key("u" + i), Map.of("name", "user " + i, "v", "0"));
            }
            // Documents of keys deleted while no job ran: the fresh start's sweep deletes them.
            search.send("PUT", "/" + prefix, null);
            for (int i = 0; i < GONE; i++) {
                search.send("PUT", "/" + prefix + "/_doc/gone" + i, "{\"name\":\"gone\"}");
            }
            assertThat(primariesOf("u", KEYS)).hasSize(cluster.primaries().size());
            assertThat(primariesOf("gone", GONE)).hasSize(cluster.primaries().size());

            String seed = cluster.nodes().get(cluster.nodes().size() - 1);
            String[] rule = {"--index", prefix + ":*=" + prefix};
            List<String> args = new ArrayList<>(endpoints(seed, rule));
            args.addAll(
                    List.of(
                            "--state-dir",
                            dir.resolve("state").toString(),
                            "--checkpoint-interval",
                            "1s",
                            "--parallelism",
                            "2"));
            try (LocalProcess local = LocalProcess.start(dir.resolve("run"), args)) {
                local.awaitOutput(
                        "the snapshot of every primary",
                        Duration.ofMinutes(2),
                        out -> local.log().split("Finished scan", -1).length - 1 >= 3);
                write(redis);
                // Equal means no document gone* is left: only the sweep deletes those, as no
                // change of their keys ever reaches the tail.
                LocalResumeITCase.awaitEqual(Duration.ofMinutes(2), local, redis, search, prefix);
                assertThat(local.log())
                        .contains("Catch-up sweep of index " + prefix + " (")
                        .doesNotContain("catch-up sweep of [" + prefix + ":*] failed");
                local.interrupt();
            }

            int keys = LocalResumeITCase.redisHashes(redis, prefix).size();
            CliRun equal = CliRun.run(verify(seed, rule));
            assertThat(equal.exitCode).as(equal.toString()).isZero();
            assertThat(equal.out)
                    .contains(
                            prefix
                                    + ": "
                                    + keys
                                    + " keys in Redis, "
                                    + keys
                                    + " documents in Elasticsearch: "
                                    + keys
                                    + " equal, 0 missing, 0 differing, 0 extra");

            // Drift behind the job's back on keys of every primary; --repair mends it.
            List<String> ids =
                    new ArrayList<>(LocalResumeITCase.redisHashes(redis, prefix).keySet());
            Set<String> drifted = new HashSet<>();
            Set<String> owners = new HashSet<>();
            for (String id : ids) {
                if (owners.add(ownerOf(key(id)))) {
                    search.send("DELETE", "/" + prefix + "/_doc/" + id + "?refresh=true", null);
                    drifted.add(id);
                }
            }
            search.send("PUT", "/" + prefix + "/_doc/ghost?refresh=true", "{\"name\":\"g\"}");
            CliRun drift = CliRun.run(verify(seed, rule));
            assertThat(drift.exitCode).as(drift.toString()).isEqualTo(1);
            assertThat(drift.out).contains(drifted.size() + " missing").contains("1 extra");
            List<String> repair = new ArrayList<>(List.of(verify(seed, rule)));
            repair.add("--repair");
            CliRun repaired = CliRun.run(repair.toArray(new String[0]));
            assertThat(repaired.exitCode).as(repaired.toString()).isZero();
            CliRun after = CliRun.run(verify(seed, rule));
            assertThat(after.exitCode).as(after.toString()).isZero();
            assertThat(drifted).hasSize(cluster.primaries().size());
        }
    }

    /** Updates, deletes and re-creates keys spread over every primary. */
    private void write(RedisAdvancedClusterCommands<String, String> redis) {
        SplittableRandom random = new SplittableRandom(14);
        for (int c = 0; c < CHANGES; c++) {
            String key = key("u" + random.nextInt(KEYS + KEYS / 10));
            int op = random.nextInt(10);
            if (op < 3) {
                redis.del(key);
            } else {
                redis.hset(key, Map.of("name", "user " + c, "v", Integer.toString(c)));
            }
        }
    }

    private String key(String id) {
        return prefix + ":" + id;
    }

    /** The primaries that own keys {@code <prefix>:<stem>0 .. <stem>(count-1)}. */
    private Set<String> primariesOf(String stem, int count) {
        Set<String> owners = new HashSet<>();
        for (int i = 0; i < count; i++) {
            owners.add(ownerOf(key(stem + i)));
        }
        return owners;
    }

    private String ownerOf(String key) {
        RedisClusterNode node = client.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        return node.getNodeId();
    }

    private static List<String> endpoints(String seed, String[] rule) {
        return List.of(
                "--redis", seed, "--es", TestServices.elasticsearch().url(), rule[0], rule[1]);
    }

    private static String[] verify(String seed, String[] rule) {
        List<String> args = new ArrayList<>(List.of("verify"));
        args.addAll(endpoints(seed, rule));
        args.addAll(List.of("--batch-size", "64"));
        return args.toArray(new String[0]);
    }
}
