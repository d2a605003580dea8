package io.github.redisessync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.embedded.SearchServerKind;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.deadletter.DeadLetterSink;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.job.testing.Metrics;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.PrivateElasticsearch;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch stopped for 20 seconds while the job follows a stream of changes, then started
 * again on the same port with the same data (the suite's server, Elasticsearch 9.2.4 and OpenSearch
 * 3.2.0, each a node of its own): the running job rides it out without a restart, and Elasticsearch
 * ends equal to Redis, nothing lost.
 *
 * <p>What carries it: the sink's {@code ElasticsearchBulkWriter} sends a bulk that got no answer
 * again with the {@code bulk-flush.backoff.*} backoff (0.5 s doubling, 8 retries: about two
 * minutes), and the flush that a checkpoint waits for waits with it. The test asserts both halves:
 * bulk requests were retried ({@code bulkRequestsRetried}), and Flink restarted nothing ({@code
 * numRestarts} is 0). The job still has a restart strategy (exponential-delay, 1 s to 10 s), so
 * that a restart shows as a count of restarts in the failure rather than as a failed job.
 */
class ElasticsearchOutageITCase {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchOutageITCase.class);

    private static final int KEYS = 1_000;
    private static final int OPS_PER_SECOND = 100;
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** Each poll reads every document of the index. */
    private static final Duration POLL = Duration.ofMillis(250);

    /**
     * The sink's counter of bulk requests sent again ({@code ElasticsearchBulkWriter.RETRIES},
     * package private there); a renamed counter reads as 0 here and fails the test.
     */
    private static final String BULK_REQUESTS_RETRIED = "bulkRequestsRetried";

    /** Retained: the sink's counters stay readable after the job is cancelled. */
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots(REPORTER);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"the suite's server", "elasticsearch 9.2.4", "opensearch 3.2.0"})
    // Longer than the ITCase default: a private node starts twice (about 30 s each here), the
    // outage lasts 20 s, and a bulk retried near the end of its backoff waits up to 64 s more;
    // 190 s on a machine shared with other builds.
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void jobRecoversByItselfFromAnElasticsearchOutageAndLosesNothing(String server)
            throws Exception {
        String name = TestServices.uniqueName("outage");
        String prefix = name + ":user:";
        String index = name;
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (PrivateElasticsearch es = privateServer(server);
                StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < KEYS; i++) {
                redis.hset(prefix + i, Map.of("n", String.valueOf(i), "round", "0"));
            }
            StreamExecutionEnvironment env = environment();
            Sink<DocumentAction> sink =
                    VersionedSinkITCase.sink(es.url(), index, "unused-" + index, 100);
            new RedisToElasticsearchJob(
                            source(prefix),
                            new RecordMapper(
                                    List.of(
                                            new IndexRule(
                                                    KeyPattern.of(prefix + "*"),
                                                    index,
                                                    IndexDefinition.dynamic()))),
                            sink,
                            new DeadLetterSink())
                    .addTo(env);
            JobClient job = env.executeAsync("elasticsearch outage");
            Writer writer = new Writer(client, prefix);
            try {
                SearchClient search = new SearchClient(es.url());
                Await.until(
                        "the snapshot in Elasticsearch",
                        TIMEOUT,
                        POLL,
                        () -> count(search, index) >= KEYS);
                writer.start();
                long beforeOutage = writer.operations.get();
                Await.until(
                        "writes before the outage",
                        TIMEOUT,
                        POLL,
                        () -> writer.operations.get() > beforeOutage + 200);

                es.stop();
                long stoppedAt = writer.operations.get();
                // The outage itself is what is tested: Elasticsearch is down for this long
                // while Redis keeps changing.
                Thread.sleep(OUTAGE.toMillis());
                long duringOutage = writer.operations.get() - stoppedAt;
                es.start();
                long restartedAt = writer.operations.get();
                Await.until(
                        "writes after the restart",
                        TIMEOUT,
                        POLL,
                        () -> writer.operations.get() > restartedAt + 200);
                writer.stop();

                Map<String, Map<String, String>> expected = redisContent(redis, prefix);
                Await.until(
                        "Elasticsearch equal to Redis",
                        TIMEOUT,
                        POLL,
                        () -> documents(search, index).equals(expected));
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                assertThat(duringOutage)
                        .as("changes made while Elasticsearch was down")
                        .isPositive();
                long retried = Metrics.counter(REPORTER, job.getJobID(), BULK_REQUESTS_RETRIED);
                assertThat(retried)
                        .as("bulk requests sent again (%s)", BULK_REQUESTS_RETRIED)
                        .isPositive();
                assertThat(Metrics.restarts(REPORTER, job.getJobID()))
                        .as("job restarts (numRestarts)")
                        .isZero();
                LOG.info(
                        "Outage of {} s: {} changes during it, {} in all; {} documents equal to"
                                + " Redis; {} bulk requests retried, no restart",
                        OUTAGE.toSeconds(),
                        duringOutage,
                        writer.operations.get(),
                        expected.size(),
                        retried);
            } finally {
                writer.stop();
                job.cancel().get();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** A node of its own: the suite's kind, or the kind and version {@code server} names. */
    static PrivateElasticsearch privateServer(String server) {
        if (!server.contains(" ") || server.startsWith("the suite")) {
            return TestServices.privateElasticsearch();
        }
        String[] kindAndVersion = server.split(" ");
        return TestServices.privateSearchServer(
                SearchServerKind.valueOf(kindAndVersion[0].toUpperCase(java.util.Locale.ROOT)),
                kindAndVersion[1]);
    }

    private static RedisSource source(String prefix) {
        return RedisSource.builder()
                .setRedisUri(TestServices.redis().uri())
                .setKeyPatterns(List.of(prefix + "*"))
                .setTailMode(RedisTailMode.KEYSPACE)
                .setConfigureNotifications(true)
                .build();
    }

    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        return env;
    }

    private static long count(SearchClient search, String index) {
        try {
            return search.send("GET", "/" + index + "/_count", null).path("count").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Every document as field → text, the form Redis hashes have. */
    private static Map<String, Map<String, String>> documents(SearchClient search, String index) {
        Map<String, Map<String, String>> documents = new HashMap<>();
        try {
            for (Map.Entry<String, JsonNode> hit : search.allDocuments(index).entrySet()) {
                Map<String, String> fields = new HashMap<>();
                hit.getValue()
                        .fields()
                        .forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
                documents.put(hit.getKey(), fields);
            }
        } catch (Exception e) {
            return Map.of();
        }
        return documents;
    }

    /** Redis's hashes under {@code prefix}, by document id. */
    private static Map<String, Map<String, String>> redisContent(
            RedisCommands<String, String> redis, String prefix) {
        Map<String, Map<String, String>> content = new HashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            for (String key : page.getKeys()) {
                Map<String, String> hash = redis.hgetall(key);
                if (!hash.isEmpty()) {
                    content.put(key.substring(prefix.length()), hash);
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return content;
    }

    /** Updates, deletes and creates keys at a steady rate on its own thread until stopped. */
    private static final class Writer {
        final AtomicLong operations = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Writer(RedisClient client, String prefix) {
            thread =
                    new Thread(
                            () -> {
                                try (StatefulRedisConnection<String, String> connection =
                                        client.connect()) {
                                    run(connection.sync(), prefix);
                                }
                            },
                            "outage-writer");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run(RedisCommands<String, String> redis, String prefix) {
            long pause = TimeUnit.SECONDS.toNanos(1) / OPS_PER_SECOND;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
                long op = operations.get() + 1;
                String key = prefix + random.nextInt(KEYS + KEYS / 5);
                if (op % 10 == 0) {
                    redis.del(key);
                } else {
                    redis.hset(key, Map.of("n", key.substring(prefix.length()), "round", "" + op));
                }
                operations.incrementAndGet();
                // Pacing, not waiting for a condition: a steady stream of changes.
                LockSupport.parkNanos(pause);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread.isAlive()) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }
}
