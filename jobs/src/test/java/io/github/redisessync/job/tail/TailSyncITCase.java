package io.github.redisessync.job.tail;

import static io.github.redisessync.job.tail.TailTestSupport.TIMEOUT;
import static io.github.redisessync.job.tail.TailTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.Metrics;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.SyncJobs;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acceptance of the tail: 50,000 hashes, four writers updating, deleting, expiring and creating
 * keys during the snapshot and after it; once they stop, Elasticsearch converges to exactly what
 * Redis holds: no missing, no extra, no stale document. For both kinds of tail.
 */
class TailSyncITCase {

    private static final Logger LOG = LoggerFactory.getLogger(TailSyncITCase.class);

    private static final int KEYS = 50_000;
    private static final int WRITERS = 4;
    private static final int OPS_PER_SECOND = 800;

    /** Operations of all writers together after the snapshot ended. */
    private static final int OPS_AFTER_SNAPSHOT = 8_000;

    /** Lets the test read the source's metrics (scan progress, changes received). */
    private static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    @ParameterizedTest
    @EnumSource(
            value = RedisTailMode.class,
            names = {"KEYSPACE", "CHANNEL"})
    void elasticsearchEndsAsRedisAfterConcurrentWrites(RedisTailMode mode) throws Exception {
        String name = TestServices.uniqueName("tail-" + mode.name().toLowerCase());
        String prefix = name + ":user:";
        String index = "tail-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = name + ":changes";
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            TailTestSupport.load(redis, prefix, KEYS);

            SyncJobSetup settings =
                    TestSetups.of(
                                    TestServices.redis().uri(),
                                    TestServices.elasticsearch().url(),
                                    List.of(
                                            new IndexRule(
                                                    KeyPattern.of(prefix + "*"),
                                                    index,
                                                    IndexDefinition.dynamic())),
                                    1000,
                                    500,
                                    Duration.ofSeconds(1))
                            .withTail(mode, channel, false, false);
            SyncJobFactory.prepareIndexes(settings);
            JobClient job = SyncJobs.start(settings, "tail " + mode);
            try {
                long start = System.nanoTime();
                TailWriters writers =
                        new TailWriters(
                                client,
                                prefix,
                                WRITERS,
                                OPS_PER_SECOND,
                                KEYS + KEYS / 5,
                                mode == RedisTailMode.CHANNEL ? channel : null);
                try {
                    Await.until(
                            "the snapshot to end",
                            TIMEOUT,
                            () ->
                                    Metrics.maxGauge(REPORTER, job.getJobID(), "redisScanProgress")
                                            >= 1.0);
                    long atSnapshotEnd = writers.operations.get();
                    LOG.info(
                            "The snapshot ended after {} s and {} writes",
                            String.format("%.1f", (System.nanoTime() - start) / 1e9),
                            atSnapshotEnd);
                    Await.until(
                            "writes after the snapshot",
                            TIMEOUT,
                            () -> writers.operations.get() >= atSnapshotEnd + OPS_AFTER_SNAPSHOT);
                } finally {
                    writers.stop();
                }
                assertThat(writers.operations.get()).isGreaterThan(OPS_AFTER_SNAPSHOT);
                LOG.info(
                        "{} writers did {} in {} s; the source received {} changes",
                        WRITERS,
                        writers,
                        String.format("%.1f", (System.nanoTime() - start) / 1e9),
                        Metrics.counter(REPORTER, job.getJobID(), "redisChangesReceived"));

                String differences = awaitConvergence(redis, prefix, index);
                LOG.info(
                        "{} tail: converged {} s after the writers started",
                        mode,
                        String.format("%.1f", (System.nanoTime() - start) / 1e9));
                assertThat(differences).as("Elasticsearch versus Redis").isEmpty();
            } finally {
                job.cancel().get();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
