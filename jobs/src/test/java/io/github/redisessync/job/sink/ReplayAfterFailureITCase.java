package io.github.redisessync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import io.github.redisessync.job.mapping.SyncAction;
import io.github.redisessync.job.mapping.SyncWrites;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.PrivateElasticsearch;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job's own parts, Redis to Elasticsearch, with a failure injected after a checkpoint: the
 * restored job replays what followed the checkpoint and still leaves exactly Redis's documents. On
 * the suite's server, and on Elasticsearch 9.2.4 and OpenSearch 3.2.0 (a node of its own each, as
 * in {@link ElasticsearchOutageITCase}): external versions and the replayed bulks are theirs.
 */
class ReplayAfterFailureITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final int KEYS = 10_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"the suite's server", "elasticsearch 9.2.4", "opensearch 3.2.0"})
    // A private node starts in about 30 s here; the replay itself takes about as long.
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void jobThatFailsOnceAfterACheckpointEndsEqualToRedisWithNoDuplicates(String server)
            throws Exception {
        try (PrivateElasticsearch own =
                server.startsWith("the suite")
                        ? null
                        : ElasticsearchOutageITCase.privateServer(server)) {
            replay(own == null ? TestServices.elasticsearch().url() : own.url());
        }
    }

    private static void replay(String url) throws Exception {
        String index = VersionedSinkITCase.createIndex(url, "replay", IndexDefinition.dynamic());
        String prefix = index + ":user:";
        Map<String, Map<String, String>> written = writeHashes(prefix);

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        List<IndexRule> rules =
                List.of(
                        new IndexRule(
                                KeyPattern.of(prefix + "*"), index, IndexDefinition.dynamic()));
        RedisSource source =
                RedisSource.builder()
                        .setRedisUri(TestServices.redis().uri())
                        .setKeyPatterns(List.of(prefix + "*"))
                        .setScanCount(20)
                        .setReadBatchSize(10)
                        .build();
        DataStream<DocumentAction> actions =
                SyncWrites.of(
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis-source")
                                .process(new RecordMappingFunction(new RecordMapper(rules)))
                                .map(new FailOnceAfterCheckpoint<>(index, 100))
                                .returns(TypeInformation.of(SyncAction.class)));
        RedisToElasticsearchJob.writeDocuments(
                actions,
                new CountingSink<>(
                        VersionedSinkITCase.sink(url, index, "unused-" + index, 50), index));
        env.execute("replay after failure");

        assertThat(FailOnceAfterCheckpoint.hasFailed(index))
                .as("the failure was injected after a checkpoint")
                .isTrue();
        // Records handed to the sink over both attempts exceed the documents: a replay happened.
        assertThat(CountingSink.count(index)).isGreaterThan(KEYS);
        SearchClient search = new SearchClient(url);
        Map<String, JsonNode> documents = search.allDocuments(index);
        assertThat(documents).hasSize(KEYS);
        assertThat(search.send("GET", "/" + index + "/_count", null).path("count").asLong())
                .isEqualTo(KEYS);
        for (Map.Entry<String, Map<String, String>> entry : written.entrySet()) {
            JsonNode document = documents.get(entry.getKey().substring(prefix.length()));
            assertThat(document).as(entry.getKey()).isNotNull();
            Map<String, String> fields = new HashMap<>();
            document.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
            assertThat(fields).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    private static Map<String, Map<String, String>> writeHashes(String prefix) {
        Map<String, Map<String, String>> written = new HashMap<>();
        RedisClient client = RedisClient.create(TestServices.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Long>> replies = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                Map<String, String> hash = Map.of("name", "user " + i, "city", "city " + (i % 97));
                written.put(prefix + i, hash);
                replies.add(connection.async().hset(prefix + i, hash));
            }
            connection.flushCommands();
            assertThat(
                            LettuceFutures.awaitAll(
                                    Duration.ofSeconds(60), replies.toArray(new RedisFuture[0])))
                    .isTrue();
            connection.setAutoFlushCommands(true);
            // Compare with what Redis holds now, not with what the test meant to write.
            written.replaceAll((key, hash) -> connection.sync().hgetall(key));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        return written;
    }
}
