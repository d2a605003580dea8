package io.github.redisessync.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.testing.TestServices;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The stream tail on a real cluster (issue 15): 200,000 keys, the demo configuration with both
 * rollups, and a writer in a JVM of its own that writes through the change publisher (each write
 * and its stream entry in one Lua call). A TaskManager killed mid-tail is restored from its stream
 * position: no rescan, and the keys it reads are bounded by the entries after the position it
 * restored, not by the keys in Redis. A stream trimmed past that position while no TaskManager runs
 * is a gap: counted, then healed by a rescan. The keyspace tail's kill is measured beside the
 * stream's, in the same run, for the time to converge and the keys read after the restore.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamFaultsITCase {
    private static final Logger LOG = LoggerFactory.getLogger(StreamFaultsITCase.class);
    private static final int RATE = 300;
    private static final int PER_KIND = 100_000;

    /** How long the writer goes on after the kill: the restored job has changes to catch up. */
    private static final Duration WRITES_AFTER_KILL = Duration.ofSeconds(15);

    private static final Pattern RESTORED =
            Pattern.compile(
                    "from stream \\S+ on \\S+ after entry (\\S+) \\(restored position (\\S+)\\)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path shared;

    private static StandaloneFlinkCluster cluster;
    private static String jarId;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    /** {@link System#nanoTime()} at the current case's kill. */
    private static long killed;

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

    /**
     * SIGKILL of the TaskManager mid-tail: the restored source reads on from its checkpointed
     * entry, scans nothing, and reads no more keys than the stream has entries after that entry.
     */
    @Test
    @Order(1)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aKilledTaskManagerResumesFromTheStreamWithoutARescan() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("stream: TaskManager killed mid-tail", redis, true);
                WriterProcess writer = publishingWriter(run, 0)) {
            long atFault = killMidTail(run, writer, true);
            String restored = restoredPosition(run);
            long equalAt = run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
            long entriesAfter = entriesAfter(redis, run.data.stream(), restored);
            double read = run.sourceMetric("redisRecordsEmitted", "sum");
            double scanned = run.sourceMetric("redisKeysScanned", "sum");
            figures(run, "restored at entry " + restored, equalAt, read, scanned, entriesAfter);
            assertThat(run.sourceMetric("redisGaps", "sum")).as("gaps after the restore").isZero();
            assertThat(scanned).as("keys scanned after the restore").isZero();
            assertThat(logged("Catch-up sweep")).as("sweeps after the restore").isEmpty();
            assertThat(read)
                    .as("keys read after the restore, against the entries after its position")
                    .isPositive()
                    .isLessThanOrEqualTo(entriesAfter);
            assertThat(read).as("keys read, against the keys loaded").isLessThan(PER_KIND * 0.4);
        }
    }

    /**
     * The same kill on the keyspace tail, for comparison: its restore is a gap, so it rescans the
     * keyspace and sweeps the indexes. Measured beside the stream's, in the same run.
     */
    @Test
    @Order(2)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aKilledTaskManagerOfTheKeyspaceTailRescans() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("keyspace: TaskManager killed mid-tail", redis, false);
                WriterProcess writer =
                        WriterProcess.start(
                                run.redisUri,
                                run.data,
                                RATE,
                                Long.MAX_VALUE,
                                Duration.ofMinutes(5),
                                run.name.hashCode())) {
            long atFault = killMidTail(run, writer, true);
            long equalAt = run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
            double read = run.sourceMetric("redisRecordsEmitted", "sum");
            double scanned = run.sourceMetric("redisKeysScanned", "sum");
            figures(run, "keyspace tail, restored", equalAt, read, scanned, -1);
            assertThat(run.sourceMetric("redisGaps", "sum"))
                    .as("gaps after the restore")
                    .isPositive();
            assertThat(scanned).as("keys rescanned after the restore").isPositive();
        }
    }

    /**
     * The stream trimmed to nothing while the killed TaskManager is not replaced: the entries after
     * the checkpointed position are gone, which the restored source counts as a gap and heals with
     * a rescan (and its sweep).
     */
    @Test
    @Order(3)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aStreamTrimmedPastItsPositionWhileTheJobIsDownIsAGapHealedByARescan() throws Exception {
        try (PersistentRedis redis = PersistentRedis.start(directory.resolve("redis"));
                FaultRun run = submit("stream: trimmed while the job is down", redis, true);
                WriterProcess writer = publishingWriter(run, 0);
                StatefulRedisConnection<String, String> admin =
                        RedisClient.create(redis.uri()).connect()) {
            long atFault = killMidTail(run, writer, false);
            // The job is down: its TaskManager is dead and none replaces it yet. The writer goes
            // on, then everything is trimmed, the entries after the checkpoint among them.
            long progress = writer.progress();
            run.await(
                    "1,000 changes while the job is down",
                    Duration.ofSeconds(30),
                    () -> writer.progress() > progress + 1_000);
            long trimmed = admin.sync().xtrim(run.data.stream(), 0);
            LOG.info("{}: trimmed {} entries while the job was down", run.name, trimmed);
            assertThat(trimmed).as("entries trimmed").isPositive();
            cluster.startTaskManager();
            run.awaitRunning(Duration.ofMinutes(2));
            writer.stop();
            long equalAt = run.finish(writer.awaitDone(Duration.ofMinutes(2)), atFault);
            assertThat(cluster.taskManagerLog("Gap in the tail"))
                    .as("the gap, logged with the stream")
                    .anySatisfy(line -> assertThat(line).contains(run.data.stream()));
            double read = run.sourceMetric("redisRecordsEmitted", "sum");
            double scanned = run.sourceMetric("redisKeysScanned", "sum");
            figures(run, "trimmed while down, restored", equalAt, read, scanned, -1);
            assertThat(run.sourceMetric("redisGaps", "sum")).as("gaps after the restore").isOne();
            assertThat(scanned).as("keys rescanned after the gap").isPositive();
        }
    }

    /**
     * Waits for the snapshot and a checkpoint after it, then kills the TaskManager with SIGKILL
     * while the writer writes; with {@code replace}, starts a new one, lets the writer go on for
     * {@link #WRITES_AFTER_KILL} and stops it. Returns the checkpoints completed at the kill.
     */
    private static long killMidTail(FaultRun run, WriterProcess writer, boolean replace)
            throws Exception {
        killed = 0;
        run.awaitSnapshotScanned(Duration.ofMinutes(4));
        // The fresh start's sweep runs once the snapshot is in: a kill before its end would leave
        // it to the restored job, which would then sweep for a reason of its own.
        run.await(
                "the fresh start's catch-up sweep done",
                Duration.ofMinutes(2),
                () -> !logged("Catch-up sweep of [").isEmpty());
        long before = run.completedCheckpoints();
        run.await(
                "a checkpoint after the snapshot",
                Duration.ofSeconds(60),
                () -> run.completedCheckpoints() > before + 1);
        assertThat(writer.isRunning()).as("the writer still writes at the kill").isTrue();
        long atFault = run.completedCheckpoints();
        killed = System.nanoTime();
        cluster.killTaskManager();
        if (replace) {
            cluster.startTaskManager();
            run.awaitRunning(Duration.ofMinutes(2));
            LOG.info("{}: running again {} s after the kill", run.name, seconds(killed));
            // A duration of the scenario (writes during the restore), not a wait for a state.
            LockSupport.parkNanos(killed + WRITES_AFTER_KILL.toNanos() - System.nanoTime());
            writer.stop();
        }
        return atFault;
    }

    /** The lines of the current TaskManager's log with {@code text}; none while it has no log. */
    private static List<String> logged(String text) {
        try {
            return cluster.taskManagerLog(text);
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The position the restored source read on from, as its TaskManager logged it. */
    private static String restoredPosition(FaultRun run) throws Exception {
        String[] position = new String[1];
        run.await(
                "the restored source's stream position in the new TaskManager's log",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        for (String line : cluster.taskManagerLog("restored position")) {
                            Matcher matcher = RESTORED.matcher(line);
                            if (matcher.find()) {
                                position[0] = matcher.group(2);
                                return true;
                            }
                        }
                        return false;
                    } catch (java.io.IOException e) {
                        return false; // the log file is not there yet
                    }
                });
        return position[0];
    }

    /** Entries of {@code stream} after {@code position}, counted by paging with XRANGE. */
    private static long entriesAfter(PersistentRedis redis, String stream, String position) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            long count = 0;
            String after = position;
            while (true) {
                List<StreamMessage<String, String>> page =
                        commands.xrange(
                                stream, Range.create("(" + after, "+"), Limit.create(0, 10_000));
                if (page.isEmpty()) {
                    return count;
                }
                count += page.size();
                after = page.get(page.size() - 1).getId();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static FaultRun submit(String name, PersistentRedis redis, boolean stream)
            throws Exception {
        FaultData data =
                new FaultData(TestServices.uniqueName("stream-faults"), PER_KIND, PER_KIND);
        return FaultRun.submit(
                name,
                cluster,
                jarId,
                Files.createDirectories(shared.resolve(name.replaceAll("\\W+", "-"))),
                redis.uri(),
                TestServices.elasticsearch().url(),
                data,
                0,
                stream ? data.stream() : null);
    }

    private static WriterProcess publishingWriter(FaultRun run, long maxLength) throws Exception {
        return WriterProcess.startPublishing(
                run.redisUri,
                run.data,
                RATE,
                Long.MAX_VALUE,
                Duration.ofMinutes(5),
                run.name.hashCode(),
                run.data.stream(),
                maxLength);
    }

    private static void figures(
            FaultRun run, String what, long equalAt, double read, double scanned, long entriesAfter)
            throws Exception {
        String figures =
                String.format(
                        "%s: %s; equal %.1f s after the kill; after the restore, keys read %.0f,"
                                + " keys scanned %.0f%s",
                        run.name,
                        what,
                        (equalAt - killed) / 1e9,
                        read,
                        scanned,
                        entriesAfter < 0 ? "" : ", stream entries after it " + entriesAfter);
        LOG.info("FAULT FIGURES {}", figures);
        Files.writeString(
                Paths.get("target", "fault-figures.txt"),
                figures + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static String seconds(long sinceNanos) {
        return String.format("%.1f", (System.nanoTime() - sinceNanos) / 1e9);
    }
}
