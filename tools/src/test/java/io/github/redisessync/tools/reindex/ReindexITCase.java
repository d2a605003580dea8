package io.github.redisessync.tools.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.github.redisessync.tools.verify.SyncVerifier;
import io.github.redisessync.tools.verify.VerifyReport;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Acceptance of {@code reindex} on real Redis and Elasticsearch: swap, failure, retention. */
class ReindexITCase {
    private static final Logger LOG = LoggerFactory.getLogger(ReindexITCase.class);

    private static final int KEYS = 100_000;
    private static final int OPS_PER_SECOND = 1_000;

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static RedisClient client;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestServices.redis().uri());
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void reindexUnderAThousandChangesASecondMovesTheAliasOnceWithoutAFailedSearch()
            throws Exception {
        String prefix = TestServices.uniqueName("reindex") + ":user:";
        String alias = TestServices.uniqueName("reindex-users");
        load(prefix, KEYS);
        SyncJobSetup settings = settings(prefix, alias, IndexDefinition.dynamic());
        long t0 = System.nanoTime();
        ReindexResult initial = reindexer(settings, 2, 1).run().get(0);
        LOG.info("First reindex (no alias, no index before), no writer: {}", initial);
        assertThat(initial.documentsCounted).isEqualTo(KEYS);

        ReindexResult result;
        PacedWriter writer;
        long reindexStart;
        try (AliasPoller poller = new AliasPoller(TestServices.elasticsearch().url(), alias)) {
            writer = new PacedWriter(client, prefix, OPS_PER_SECOND, KEYS, KEYS + KEYS / 10);
            try {
                reindexStart = System.nanoTime();
                result =
                        reindexer(settings, 2, 2)
                                .withStepListener(
                                        step -> {
                                            if (step == Reindexer.Step.CATCH_UP_AFTER_SWAP) {
                                                // Every write of the writer precedes the barrier
                                                // of the catch-up after the swap.
                                                stopQuietly(writer);
                                            }
                                        })
                                .run()
                                .get(0);
            } finally {
                writer.stop();
            }
            poller.awaitFreshPoll();
            LOG.info(
                    "Reindex: {}; writer: {} updates, {} deletes, {} creates at {} ops/s; poller:"
                            + " {} searches, {} failed, targets {}",
                    result,
                    writer.updates,
                    writer.deletes,
                    writer.creates,
                    String.format("%.0f", writer.rate()),
                    poller.searches,
                    poller.failures,
                    poller.targets());
            assertThat(poller.failures.get()).as("%s", poller.failureSamples()).isZero();
            assertThat(poller.searches.get()).isPositive();
            assertThat(poller.targets())
                    .containsExactly(Set.of(initial.newIndex), Set.of(result.newIndex));
        }
        LOG.info("Reindex took {} s", seconds(reindexStart));
        assertThat(result.previous).containsExactly(initial.newIndex);
        assertThat(result.keysReRead).isPositive();
        assertThat(result.caughtUp).isTrue();
        try (ElasticsearchAliases es =
                new ElasticsearchAliases(TestServices.elasticsearch().url())) {
            assertThat(es.targets(alias)).containsExactly(result.newIndex);
            assertThat(es.indexes(alias + "-*")).contains(initial.newIndex);
            assertThat(es.setting(result.newIndex, "index.refresh_interval")).isEqualTo("1s");
            assertThat(es.setting(result.newIndex, "index.number_of_replicas")).isEqualTo("1");
        }

        assertVerifiesEqual(settings);
    }

    @Test
    void withAStreamTailTheChangesNamedByItsEntriesAreReReadIntoTheNewIndex() throws Exception {
        String prefix = TestServices.uniqueName("reindex-stream") + ":user:";
        String alias = TestServices.uniqueName("reindex-stream-users");
        String stream = prefix + "changes";
        int keys = 20_000;
        load(prefix, keys);
        SyncJobSetup settings =
                TestSetups.builder(
                                TestServices.redis().uri(),
                                TestServices.elasticsearch().url(),
                                List.of(
                                        new IndexRule(
                                                KeyPattern.of(prefix + "*"),
                                                alias,
                                                IndexDefinition.dynamic())))
                        .tail(RedisTailMode.STREAM, "mychannel", false)
                        .stream(stream)
                        .build();
        ReindexResult result;
        PacedWriter writer = new PacedWriter(client, prefix, 500, keys, keys + 1_000, stream);
        try {
            result =
                    reindexer(settings, 2, 1)
                            .withStepListener(
                                    step -> {
                                        if (step == Reindexer.Step.CATCH_UP_AFTER_SWAP) {
                                            stopQuietly(writer);
                                        }
                                    })
                            .run()
                            .get(0);
        } finally {
            writer.stop();
        }
        LOG.info("Reindex with a stream tail: {}; writer: {} ops", result, writer.operations());

        assertThat(writer.operations()).isPositive();
        assertThat(result.keysReRead).as("keys named by entries after the scan").isPositive();
        assertThat(result.caughtUp).isTrue();
        assertVerifiesEqual(settings);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().del(stream);
        }
    }

    @Test
    void aConcreteIndexUnderTheAliasNameIsReplacedByTheAliasInTheSwap() throws Exception {
        String prefix = TestServices.uniqueName("reindex-migrate") + ":user:";
        String name = TestServices.uniqueName("reindex-migrate");
        load(prefix, 5_000);
        // As `sync` and `local` create indexes: a concrete index under the name, loaded by the job.
        SyncJobSetup settings = settings(prefix, name, IndexDefinition.dynamic());
        SyncJobSetup snapshot = settings.withTail(RedisTailMode.NONE, "mychannel", false, false);
        SyncJobFactory.prepareIndexes(snapshot);
        StreamExecutionEnvironment env = environment();
        SyncJobFactory.create(snapshot).addTo(env);
        env.execute("initial load of " + name);

        ReindexResult result;
        try (AliasPoller poller = new AliasPoller(TestServices.elasticsearch().url(), name)) {
            result = reindexer(settings, 2, 1).run().get(0);
            poller.awaitFreshPoll();
            // Searches in flight on the concrete index when remove_index deletes it may fail:
            // measured and logged here, not asserted (see the README).
            LOG.info(
                    "Migration: {}; poller: {} searches, {} failed {}, targets {}",
                    result,
                    poller.searches,
                    poller.failures,
                    poller.failureSamples(),
                    poller.targets());
            assertThat(poller.targets()).containsExactly(Set.of(name), Set.of(result.newIndex));
        }
        assertThat(result.migratedConcreteIndex).isTrue();
        try (ElasticsearchAliases es =
                new ElasticsearchAliases(TestServices.elasticsearch().url())) {
            assertThat(es.kind(name)).isEqualTo(ElasticsearchAliases.Kind.ALIAS);
            assertThat(es.targets(name)).containsExactly(result.newIndex);
        }
        assertThat(new SyncVerifier(settings, 500, 10, false).run())
                .allSatisfy(report -> assertThat(report.isEqual()).isTrue());
    }

    @Test
    void aFailedCountCheckLeavesTheAliasAndDeletesTheNewIndex() throws Exception {
        String prefix = TestServices.uniqueName("reindex-fail") + ":user:";
        String alias = TestServices.uniqueName("reindex-fail");
        load(prefix, 2_000);
        SyncJobSetup settings = settings(prefix, alias, IndexDefinition.dynamic());
        // Neither alias nor index exists: the first reindex creates both.
        ReindexResult first = reindexer(settings, 2, 1).run().get(0);
        assertThat(first.previous).isEmpty();

        assertThatThrownBy(() -> reindexer(settings, 2, 2).withExpectedCountOffset(5).run())
                .isInstanceOfSatisfying(
                        ReindexException.class,
                        e -> {
                            assertThat(e.step()).isEqualTo(Reindexer.Step.COUNT);
                            assertThat(e.aliasMoved()).isFalse();
                        })
                .hasMessageContaining("failed at step 'refresh and check the count'")
                .hasMessageContaining("holds 2000 documents after the load, expected 2005")
                .hasMessageContaining("the alias is unchanged");
        try (ElasticsearchAliases es =
                new ElasticsearchAliases(TestServices.elasticsearch().url())) {
            assertThat(es.targets(alias)).containsExactly(first.newIndex);
            assertThat(es.indexes(alias + "-*")).containsExactly(first.newIndex);
        }
    }

    @Test
    void keepsTheLastOldIndexesAndRestoresTheMappingFilesSettings() throws Exception {
        String prefix = TestServices.uniqueName("reindex-keep") + ":user:";
        String alias = TestServices.uniqueName("reindex-keep");
        load(prefix, 500);
        IndexDefinition definition =
                IndexDefinition.parse(
                        "{\"settings\":{\"index\":{\"refresh_interval\":\"5s\"},"
                                + "\"number_of_replicas\":0},"
                                + "\"mappings\":{\"properties\":{\"name\":{\"type\":\"keyword\"}}}}",
                        "test mapping");
        SyncJobSetup settings = settings(prefix, alias, definition);
        String lookAlike = alias + "-archive";
        List<String> made = new ArrayList<>();
        try (ElasticsearchAliases es =
                new ElasticsearchAliases(TestServices.elasticsearch().url())) {
            es.createIndex(lookAlike, "{}");
            for (int hour = 1; hour <= 4; hour++) {
                ReindexResult result = reindexer(settings, 1, hour).run().get(0);
                made.add(result.newIndex);
                assertThat(es.targets(alias)).containsExactly(result.newIndex);
            }
            assertThat(made.get(0)).isEqualTo(alias + "-20261125t010000z");
            assertThat(es.indexes(alias + "-*"))
                    .containsExactlyInAnyOrder(lookAlike, made.get(2), made.get(3));
            assertThat(es.setting(made.get(3), "index.refresh_interval")).isEqualTo("5s");
            assertThat(es.setting(made.get(3), "index.number_of_replicas")).isEqualTo("0");
            es.deleteIndex(lookAlike);
        }
    }

    private static Reindexer reindexer(SyncJobSetup settings, int keep, int hour) {
        Instant at = Instant.parse("2026-11-25T00:00:00Z").plus(Duration.ofHours(hour));
        return new Reindexer(settings, keep, ReindexITCase::environment)
                .withClock(Clock.fixed(at, ZoneOffset.UTC));
    }

    /** {@code verify} through the alias finds every index equal to Redis. */
    private static void assertVerifiesEqual(SyncJobSetup settings) throws Exception {
        long v0 = System.nanoTime();
        List<VerifyReport> reports = new SyncVerifier(settings, 500, 10, false).run();
        StringWriter printed = new StringWriter();
        reports.forEach(report -> report.print(new PrintWriter(printed, true), false));
        LOG.info("verify through the alias in {} s: {}", seconds(v0), printed);
        assertThat(reports)
                .allSatisfy(report -> assertThat(report.isEqual()).as("%s", printed).isTrue());
    }

    private static SyncJobSetup settings(String prefix, String alias, IndexDefinition mapping) {
        return TestSetups.builder(
                        TestServices.redis().uri(),
                        TestServices.elasticsearch().url(),
                        List.of(new IndexRule(KeyPattern.of(prefix + "*"), alias, mapping)))
                .tail(RedisTailMode.KEYSPACE, "mychannel", false)
                .build();
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env;
    }

    private static void load(String prefix, int count) throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            List<RedisFuture<Long>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                pending.add(redis.hset(prefix + i, Map.of("name", "user " + i, "v", "initial")));
                if (pending.size() == 5_000 || i == count - 1) {
                    assertThat(
                                    LettuceFutures.awaitAll(
                                            1,
                                            TimeUnit.MINUTES,
                                            pending.toArray(new RedisFuture[0])))
                            .isTrue();
                    pending.clear();
                }
            }
        }
    }

    private static void stopQuietly(PacedWriter writer) {
        try {
            writer.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }
}
