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
import io.github.redisessync.job.testing.TailConnections;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acceptance of gap healing: the job's pub/sub connection is killed ({@code CLIENT KILL ID}, found
 * by its client name) twice mid-tail while writers update, delete, expire and create keys; the job
 * counts two gaps, rescans, sweeps, and ends exactly as Redis, with no restart by hand.
 *
 * <p>Keys deleted in the short window of a gap are a matter of luck, so before each kill the test
 * also plants documents whose keys do not exist (what a delete lost in a gap leaves behind): only
 * the sweep can remove them, and the end state must not hold them.
 */
class GapSweepITCase {

    private static final Logger LOG = LoggerFactory.getLogger(GapSweepITCase.class);

    private static final int KEYS = 5_000;
    private static final int GHOSTS_PER_GAP = 50;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    @Test
    void twoKilledSubscriptionsAreTwoGapsHealedByRescanAndSweep() throws Exception {
        String name = TestServices.uniqueName("gaps");
        String prefix = name + ":user:";
        String index = "gaps-" + UUID.randomUUID().toString().substring(0, 8);
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
                            .withTail(RedisTailMode.KEYSPACE, "unused", false, false);
            SyncJobFactory.prepareIndexes(settings);
            JobClient job = SyncJobs.start(settings, "gaps");
            JobID id = job.getJobID();
            try {
                Await.until(
                        "the snapshot to end",
                        TIMEOUT,
                        () -> Metrics.maxGauge(REPORTER, id, "redisScanProgress") >= 1);
                // A fresh start sweeps once after its snapshot; the gaps' sweeps come after it.
                Await.until(
                        "the fresh start's sweep",
                        TIMEOUT,
                        () -> Metrics.counter(REPORTER, id, "catchUpSweeps") >= 1);
                // Another subscriber on the same server, as a user's would be: it must outlive
                // the kills, under the same client id (Lettuce would reconnect it silently).
                StatefulRedisPubSubConnection<String, String> bystander = client.connectPubSub();
                long bystanderId = bystander.sync().clientId();
                bystander.sync().subscribe(name + ":bystander");
                TailWriters writers =
                        new TailWriters(client, prefix, 2, 300, KEYS + KEYS / 5, null);
                try {
                    for (int gap = 1; gap <= 2; gap++) {
                        long before = writers.operations.get();
                        Await.until(
                                "writes before gap",
                                TIMEOUT,
                                () -> writers.operations.get() >= before + 300);
                        plantGhosts(index, gap);
                        // This job's tail only: other subscribers of the server stay connected.
                        long killed = TailConnections.kill(connection.sync(), id);
                        LOG.info("Gap {}: killed {} pub/sub connections of the job", gap, killed);
                        assertThat(killed).as("the job's pub/sub connections killed").isPositive();
                        int expected = gap;
                        Await.until(
                                "gap " + gap + " to be counted",
                                TIMEOUT,
                                () -> Metrics.counter(REPORTER, id, "redisGaps") >= expected);
                        Await.until(
                                "the sweep after gap " + gap,
                                TIMEOUT,
                                () ->
                                        Metrics.counter(REPORTER, id, "catchUpSweeps")
                                                >= expected + 1);
                    }
                    long before = writers.operations.get();
                    Await.until(
                            "writes after the gaps",
                            TIMEOUT,
                            () -> writers.operations.get() >= before + 300);
                } finally {
                    writers.stop();
                }
                LOG.info("Writers did {}", writers);
                assertThat(connection.sync().clientList())
                        .as("the other subscriber, still connected")
                        .containsPattern("(?m)^id=" + bystanderId + " ");
                bystander.close();

                String differences = awaitConvergence(redis, prefix, index);
                assertThat(differences).as("Elasticsearch versus Redis").isEmpty();
                assertThat(Metrics.counter(REPORTER, id, "redisGaps")).as("gaps").isEqualTo(2);
                assertThat(Metrics.counter(REPORTER, id, "redisCatchUps"))
                        .as("catch-ups")
                        .isEqualTo(2);
                assertThat(Metrics.counter(REPORTER, id, "catchUpSweeps"))
                        .as("sweeps: the fresh start's and the gaps'")
                        .isEqualTo(3);
                assertThat(Metrics.counter(REPORTER, id, "catchUpSweepDeletes"))
                        .as("documents the sweeps deleted")
                        .isGreaterThanOrEqualTo(2L * GHOSTS_PER_GAP);
                LOG.info(
                        "2 gaps, 3 sweeps (with the fresh start's) deleting {} documents ({} planted)",
                        Metrics.counter(REPORTER, id, "catchUpSweepDeletes"),
                        2 * GHOSTS_PER_GAP);
            } finally {
                job.cancel().get();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Documents whose keys do not exist in Redis, as a delete lost in a gap leaves them. */
    private static void plantGhosts(String index, int gap) throws Exception {
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < GHOSTS_PER_GAP; i++) {
            bulk.append("{\"index\":{\"_index\":\"")
                    .append(index)
                    .append("\",\"_id\":\"ghost-")
                    .append(gap)
                    .append('-')
                    .append(i)
                    .append("\",\"version\":1,\"version_type\":\"external\"}}\n")
                    .append("{\"name\":\"ghost\",\"v\":\"lost in gap ")
                    .append(gap)
                    .append("\"}\n");
        }
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        TestServices.elasticsearch().url() + "/_bulk?refresh=true"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(bulk.toString()))
                        .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("planting ghosts in " + index).isEqualTo(200);
        assertThat(response.body()).as("bulk response").contains("\"errors\":false");
    }
}
