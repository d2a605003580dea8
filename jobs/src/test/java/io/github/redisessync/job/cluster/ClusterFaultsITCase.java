package io.github.redisessync.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.testing.PrivateElasticsearch;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on a real cluster (issue 11): the shaded job jar on a standalone Flink cluster (JobManager
 * and TaskManager in JVMs of their own, checkpoints on disk), the demo configuration with both
 * rollups, and a writer in a JVM of its own changing keys at a fixed rate during and after the
 * snapshot. Each case ends, once the writer stopped, with Elasticsearch equal to Redis, the rollups
 * equal to Elasticsearch's own aggregation, no duplicate, and checkpoints completing after the
 * fault ({@link FaultRun#finish}).
 *
 * <p>Each case has a Redis server of its own ({@link PersistentRedis}): the faults kill its clients
 * or the server itself, which a shared server's other users must not see. The cluster is shared:
 * every case cancels its job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsITCase {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultsITCase.class);
    private static final int RATE = 300; // changes per second, the "200-400/s"

    // Kept when a case fails: the cluster's and Redis's logs are the evidence.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path shared;

    private static StandaloneFlinkCluster cluster;
    private static String jarId;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneFlinkCluster.start(shared.resolve("flink"));
        jarId = cluster.uploadJar(StandaloneFlinkCluster.shadedJar());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** SIGKILL of the TaskManager once the snapshot is over, with the writer on; a new one. */
    @Test
    @Order(1)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void convergesAfterTheTaskManagerIsKilledMidTail() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("TaskManager killed mid-tail", redis, 5_000, 0);
                WriterProcess writer = writer(run, RATE * 60, Duration.ofSeconds(60))) {
            run.awaitSnapshotScanned(Duration.ofMinutes(2));
            long before = run.completedCheckpoints();
            run.await(
                    "a checkpoint after the snapshot",
                    Duration.ofSeconds(60),
                    () -> run.completedCheckpoints() > before);
            assertThat(writer.isRunning()).as("the writer still writes at the kill").isTrue();
            long atFault = run.completedCheckpoints();
            long killed = System.nanoTime();
            cluster.killTaskManager();
            cluster.startTaskManager();
            run.awaitRunning(Duration.ofMinutes(2));
            LOG.info("{}: running again {} s after the kill", run.name, seconds(killed));
            run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
            assertThat(run.restarts()).as("restarts").isPositive();
        }
    }

    /**
     * SIGKILL of the TaskManager in the middle of a snapshot slowed to 3,000 keys/s, with the
     * writer on: the restored job resumes the scan and converges.
     */
    @Test
    @Order(2)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void convergesAfterTheTaskManagerIsKilledMidSnapshot() throws Exception {
        int keys = 40_000;
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("TaskManager killed mid-snapshot", redis, keys / 2, 3_000);
                WriterProcess writer = writer(run, RATE * 60, Duration.ofSeconds(60))) {
            run.await(
                    "a fifth of the snapshot scanned",
                    Duration.ofMinutes(2),
                    () -> run.sourceMetric("redisKeysScanned", "sum") >= keys / 5);
            long atFault = run.completedCheckpoints();
            double scanned = run.sourceMetric("redisKeysScanned", "sum");
            double progress = run.sourceMetric("redisScanProgress", "min");
            long killed = System.nanoTime();
            cluster.killTaskManager();
            LOG.info("Killed the TaskManager with {} keys scanned, progress {}", scanned, progress);
            // Started before any assertion: the later cases share this cluster.
            cluster.startTaskManager();
            // Proof that the kill fell in the snapshot: the scan had not read every key yet.
            assertThat(scanned).as("keys scanned at the kill").isLessThan(keys * 0.8);
            assertThat(progress).as("scan progress at the kill").isLessThan(1.0);
            run.awaitRunning(Duration.ofMinutes(2));
            LOG.info("{}: running again {} s after the kill", run.name, seconds(killed));
            run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
            assertThat(run.restarts()).as("restarts").isPositive();
        }
    }

    /**
     * Five minutes of writes on the continuous job with rollups: checkpoints must keep completing
     * (none of the stall, where the sweep's wait blocked the source's chain), and a probe
     * key written at the end arrives within seconds.
     */
    @Test
    @Order(3)
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void keepsCompletingCheckpointsThroughFiveMinutesOfWrites() throws Exception {
        Duration time = Duration.ofMinutes(5);
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("five minutes of writes", redis, 5_000, 0);
                WriterProcess writer = writer(run, RATE * time.toSeconds(), time)) {
            long first = run.completedCheckpoints();
            long started = System.nanoTime();
            long windows = 0;
            Duration probed = null;
            // A new checkpoint in every 15 s (15 intervals) of the writer's five minutes.
            while (writer.isRunning()) {
                long seen = run.completedCheckpoints();
                Await.until(
                        "a checkpoint within 15 s after checkpoint "
                                + seen
                                + " (window "
                                + windows
                                + ")",
                        Duration.ofSeconds(15),
                        Duration.ofMillis(200),
                        () -> run.completedCheckpoints() > seen);
                windows++;
                // In the writer's last 20 s, while it still writes (its rate varies with load).
                if (probed == null
                        && System.nanoTime() - started > time.minusSeconds(20).toNanos()) {
                    probed = probe(run);
                }
            }
            assertThat(windows).as("15 s windows watched").isGreaterThanOrEqualTo(15);
            assertThat(probed).as("the probe, written near the end").isNotNull();
            LOG.info("{}: {} windows, the probe arrived in {}", run.name, windows, probed);
            run.finish(writer.awaitDone(Duration.ofMinutes(1)), first);
        }
    }

    /** {@code CLIENT KILL TYPE pubsub} twice while the job tails, with the writer on. */
    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void convergesAfterItsPubSubConnectionIsKilledTwice() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("pub/sub connection killed twice", redis, 5_000, 0);
                WriterProcess writer = writer(run, RATE * 60, Duration.ofSeconds(60));
                StatefulRedisConnection<String, String> admin =
                        RedisClient.create(redis.uri()).connect()) {
            run.awaitSnapshotScanned(Duration.ofMinutes(2));
            long atFault = run.completedCheckpoints();
            RedisCommands<String, String> commands = admin.sync();
            for (int kill = 1; kill <= 2; kill++) {
                // The server is this test's own: its only pub/sub clients are the job's.
                run.await(
                        "the job subscribed (kill " + kill + ")",
                        Duration.ofSeconds(60),
                        () -> subscribers(commands) > 0);
                long killed = commands.clientKill(KillArgs.Builder.typePubsub());
                assertThat(killed).as("pub/sub clients killed").isPositive();
                long progress = writer.progress();
                Await.until(
                        "1,000 more changes",
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200),
                        () -> writer.progress() > progress + 1_000 || !writer.isRunning());
            }
            assertThat(writer.isRunning()).as("the writer still writes after the kills").isTrue();
            run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
        }
    }

    /**
     * Redis killed with SIGKILL while the job tails and started again on the same port with the
     * same data (its append-only file, fsynced on every write).
     */
    @Test
    @Order(5)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void convergesAfterRedisRestarts() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("Redis restarted", redis, 5_000, 0);
                WriterProcess writer = writer(run, RATE * 60, Duration.ofSeconds(60))) {
            run.awaitSnapshotScanned(Duration.ofMinutes(2));
            long atFault = run.completedCheckpoints();
            redis.kill();
            redis.start();
            assertThat(writer.isRunning()).as("the writer still writes after the restart").isTrue();
            run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
        }
    }

    /** Elasticsearch stopped for 30 s and started again on its port with its data. */
    @Test
    @Order(6)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void convergesAfterElasticsearchIsStoppedFor30Seconds() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                PrivateElasticsearch es = TestServices.privateElasticsearch()) {
            FaultData data = data(5_000);
            try (FaultRun run =
                            FaultRun.submit(
                                    "Elasticsearch stopped for 30 s",
                                    cluster,
                                    jarId,
                                    directory,
                                    redis.uri(),
                                    es.url(),
                                    data,
                                    0);
                    // Long enough to span the stop (some seconds), 30 s down and the start.
                    WriterProcess writer = writer(run, RATE * 100, Duration.ofSeconds(100))) {
                run.awaitSnapshotScanned(Duration.ofMinutes(2));
                // Not a document count: the writer's deletes can keep that below the keys loaded.
                run.await(
                        "the snapshot in Elasticsearch (under 5% of the keys without a document)",
                        Duration.ofMinutes(1), () -> missingDocuments(run) < 2L * 5_000 / 20);
                long atFault = run.completedCheckpoints();
                es.stop();
                long stopped = System.nanoTime();
                // The outage itself lasts 30 s: a duration of the fault, not a wait for a state.
                LockSupport.parkNanos(stopped + TimeUnit.SECONDS.toNanos(30) - System.nanoTime());
                assertThat(writer.isRunning())
                        .as("the writer still writes when Elasticsearch comes back")
                        .isTrue();
                es.start();
                LOG.info("{}: {} s from stopped to started again", run.name, seconds(stopped));
                run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
            }
        }
    }

    private FaultRun submit(String name, PersistentRedis redis, int perKind, int maxKeysPerSecond)
            throws Exception {
        return FaultRun.submit(
                name,
                cluster,
                jarId,
                directory,
                redis.uri(),
                TestServices.elasticsearch().url(),
                data(perKind),
                maxKeysPerSecond);
    }

    private static FaultData data(int perKind) {
        return new FaultData(TestServices.uniqueName("faults"), perKind, perKind);
    }

    private static WriterProcess writer(FaultRun run, long changes, Duration time)
            throws Exception {
        return WriterProcess.start(
                run.redisUri, run.data, RATE, changes, time, run.name.hashCode());
    }

    /**
     * A user written near the end of the writes must be in Elasticsearch within 10 s: the job still
     * tails, not only checkpoints. Returns how long it took.
     */
    private static Duration probe(FaultRun run) throws Exception {
        String id = "probe-" + System.nanoTime();
        RedisClient client = RedisClient.create(run.redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection
                    .sync()
                    .hset(
                            run.data.userKey(id),
                            Map.of("name", "Probe", "age", "42", "city", "Zürich"));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        long written = System.nanoTime();
        SearchClient es = new SearchClient(TestServices.elasticsearch().url());
        Await.until(
                "the probe user " + id + " in Elasticsearch",
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                () -> {
                    try {
                        return es.send("GET", "/" + run.users + "/_doc/" + id, null)
                                .path("found")
                                .asBoolean();
                    } catch (Exception e) {
                        return false; // 404 until it is there
                    }
                });
        return Duration.ofNanos(System.nanoTime() - written);
    }

    private static String seconds(long sinceNanos) {
        return String.format("%.1f", (System.nanoTime() - sinceNanos) / 1e9);
    }

    private static long subscribers(RedisCommands<String, String> redis) {
        return redis.clientList().lines().filter(line -> line.contains(" flags=P")).count();
    }

    private static long missingDocuments(FaultRun run) {
        try {
            return run.oracle.missingDocuments();
        } catch (Exception e) {
            return Long.MAX_VALUE; // not reachable now: not there yet
        }
    }
}
