package io.github.redisessync.job.tail;

import static io.github.redisessync.job.tail.TailTestSupport.TIMEOUT;
import static io.github.redisessync.job.tail.TailTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.Checkpoints;
import io.github.redisessync.job.testing.Metrics;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.SyncJobs;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot job ({@code --tail none}) stopped mid-scan without warning (cancelled after a
 * checkpoint, as a crash would stop it) and started again from its last checkpoint resumes the SCAN
 * from the checkpointed cursor: the keys read twice are at most what one checkpoint interval reads,
 * and the index ends exactly as Redis.
 */
class ScanResumeITCase {

    private static final Logger LOG = LoggerFactory.getLogger(ScanResumeITCase.class);

    private static final int KEYS = 30_000;
    private static final int BATCH = 500;
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final int KEYS_PER_SECOND = 10_000;

    /** Keeps the cancelled job's counters readable. */
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    @TempDir Path checkpoints;

    @Test
    void resumesScanFromCheckpointedCursorReadingAtMostOneIntervalTwice() throws Exception {
        String prefix = TestServices.uniqueName("resume") + ":user:";
        String index = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            TailTestSupport.load(redis, prefix, KEYS);
            // Capped at 10,000 keys/s, the scan takes at least 3 s, so the third checkpoint (500 ms
            // apart) always falls mid-scan however fast the machine is; unthrottled, a quiet
            // machine scans 30,000 keys before it.
            SyncJobSetup settings =
                    TestSetups.builder(
                                    TestServices.redis().uri(),
                                    TestServices.elasticsearch().url(),
                                    List.of(
                                            new IndexRule(
                                                    KeyPattern.of(prefix + "*"),
                                                    index,
                                                    IndexDefinition.dynamic())))
                            .scanCount(BATCH)
                            .readBatchSize(BATCH)
                            .checkpointInterval(INTERVAL)
                            .scanMaxKeysPerSecond(KEYS_PER_SECOND)
                            .build();
            SyncJobFactory.prepareIndexes(settings);
            Configuration config = Checkpoints.retainedOnCancellation(checkpoints);

            // Run 1: cancelled as soon as a third checkpoint completed, mid-scan.
            JobClient first = SyncJobs.start(settings, config, "resume: first run");
            JobID firstId = first.getJobID();
            long lastCompleted = 0;
            long scannedAtPrevious = 0;
            long scannedAtLast = 0;
            while (lastCompleted < 3) {
                long completed =
                        (long) Metrics.maxGauge(REPORTER, firstId, "numberOfCompletedCheckpoints");
                long scanned = Metrics.counter(REPORTER, firstId, "redisKeysScanned");
                if (completed > lastCompleted) {
                    scannedAtPrevious = scannedAtLast;
                    scannedAtLast = scanned;
                    lastCompleted = completed;
                }
                assertThat(scanned).as("keys scanned before the third checkpoint").isLessThan(KEYS);
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            first.cancel().get();
            Await.until(
                    "the first run to be cancelled",
                    TIMEOUT,
                    () -> first.getJobStatus().join().isGloballyTerminalState());
            long scannedFirst = Metrics.counter(REPORTER, firstId, "redisKeysScanned");
            Path checkpoint = Checkpoints.latest(checkpoints, firstId);
            LOG.info(
                    "First run cancelled after {} keys scanned; restoring {}",
                    scannedFirst,
                    checkpoint);

            // Run 2: from the retained checkpoint, to the end of the scan.
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
            JobClient second = SyncJobs.start(settings, config, "resume: restored run");
            second.getJobExecutionResult().get();
            long scannedSecond = Metrics.counter(REPORTER, second.getJobID(), "redisKeysScanned");

            long readTwice = scannedFirst + scannedSecond - KEYS;
            // The restored checkpoint was triggered after the one before it completed, so it holds
            // at least that one's position: at most one interval is read again, plus what was read
            // between the last completion and the cancel (one batch more for the polling).
            long perInterval = scannedAtLast - scannedAtPrevious;
            long afterLast = scannedFirst - scannedAtLast;
            LOG.info(
                    "Scanned {} + {} of {} keys: {} read twice; the last checkpoint interval"
                            + " read {}, {} more were read before the cancel",
                    scannedFirst,
                    scannedSecond,
                    KEYS,
                    readTwice,
                    perInterval,
                    afterLast);
            assertThat(scannedSecond).as("keys scanned after the restore").isLessThan(KEYS);
            assertThat(readTwice)
                    .as("keys read twice")
                    .isBetween(0L, perInterval + afterLast + BATCH);
            assertThat(awaitConvergence(redis, prefix, index))
                    .as("Elasticsearch versus Redis")
                    .isEmpty();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
