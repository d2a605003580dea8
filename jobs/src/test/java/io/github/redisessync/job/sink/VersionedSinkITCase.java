package io.github.redisessync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink half of the job (version gate and versioned Elasticsearch sink) on a real Elasticsearch:
 * stale writes are no-ops, rejected documents become dead letters, and neither fails the job.
 */
class VersionedSinkITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @Test
    void olderVersionAfterNewerLeavesTheNewerContentAndTheJobRuns() throws Exception {
        String index = createIndex("gate", IndexDefinition.dynamic());
        List<DocumentAction> actions =
                List.of(
                        index(index, "a", 7, "{\"name\":\"seven\"}"),
                        index(index, "a", 5, "{\"name\":\"five\"}"),
                        index(index, "b", 10, "{\"name\":\"ten\"}"),
                        DocumentAction.delete(index, "b", 11, "user:b"),
                        // A late, older index of a deleted document must not resurrect it.
                        index(index, "b", 9, "{\"name\":\"nine\"}"),
                        index(index, "c", 3, "{\"name\":\"three\"}"),
                        index(index, "c", 3, "{\"name\":\"three\"}"));
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(
                source(env, actions), sink(index, "unused-" + index));
        env.execute("version gate");

        Map<String, JsonNode> documents = search().allDocuments(index);
        assertThat(documents).containsOnlyKeys("a", "c");
        assertThat(documents.get("a").get("name").asText()).isEqualTo("seven");
        assertThat(documents.get("c").get("name").asText()).isEqualTo("three");
        // Written with external versions: Elasticsearch's _version is the Redis version.
        assertThat(version(index, "a")).isEqualTo(7);
    }

    @Test
    void staleWriteThatPassesNoGateIsAVersionConflictTheSinkSkips() throws Exception {
        String index = createIndex("conflict", IndexDefinition.dynamic());
        StreamExecutionEnvironment first = environment();
        first.setParallelism(1);
        RedisToElasticsearchJob.writeDocuments(
                source(
                        first,
                        List.of(
                                index(index, "a", 7, "{\"name\":\"seven\"}"),
                                index(index, "b", 1, "{\"name\":\"one\"}"))),
                sink(index, "unused-" + index, 1));
        first.execute("version seven");
        // A second job, whose gate never saw version 7 (as after a restore from an older
        // checkpoint), one action per bulk: Elasticsearch itself refuses v5 and the v6 delete
        // with 409, and the writer skips both instead of failing the job.
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        RedisToElasticsearchJob.writeDocuments(
                source(
                        env,
                        List.of(
                                index(index, "a", 5, "{\"name\":\"five\"}"),
                                DocumentAction.delete(index, "a", 6, "user:a"))),
                sink(index, "unused-" + index, 1));
        env.execute("version conflicts");

        Map<String, JsonNode> documents = search().allDocuments(index);
        assertThat(documents).containsOnlyKeys("a", "b");
        assertThat(documents.get("a").get("name").asText()).isEqualTo("seven");
    }

    @Test
    void documentThatConflictsWithTheMappingIsADeadLetterAndTheOthersAreWritten() throws Exception {
        IndexDefinition ages =
                IndexDefinition.parse(
                        "{\"mappings\":{\"properties\":{\"age\":{\"type\":\"integer\"}}}}", "ages");
        String index = createIndex("rejects", ages);
        String rejections = "rejections-" + index;
        List<DocumentAction> actions =
                List.of(
                        index(index, "1", 1, "{\"age\":31}"),
                        index(index, "bad", 1, "{\"age\":\"old\",\"name\":\"Bad Age\"}"),
                        index(index, "2", 1, "{\"age\":42}"));
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(source(env, actions), sink(index, rejections));
        env.execute("rejected documents");

        assertThat(search().allDocuments(index)).containsOnlyKeys("1", "2");
        List<RejectedDocument> rejected = RecordingRejections.recorded(rejections);
        assertThat(rejected).hasSize(1);
        RejectedDocument bad = rejected.get(0);
        assertThat(bad.origin()).isEqualTo("user:bad");
        assertThat(bad.index()).isEqualTo(index);
        assertThat(bad.id()).isEqualTo("bad");
        assertThat(bad.version()).isEqualTo(1);
        // mapper_parsing_exception on 7.x, document_parsing_exception on 8.x; same reason text.
        assertThat(bad.reason()).contains("failed to parse field [age]");
        assertThat(bad.excerpt()).contains("\"old\"");
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }

    private static DataStream<DocumentAction> source(
            StreamExecutionEnvironment env, List<DocumentAction> actions) {
        // One source subtask: actions of one document reach the gate in list order.
        return env.fromData(actions, TypeInformation.of(DocumentAction.class)).setParallelism(1);
    }

    static Sink<DocumentAction> sink(String index, String rejections) {
        return sink(index, rejections, 100);
    }

    static Sink<DocumentAction> sink(String index, String rejections, int maxActions) {
        return sink(TestServices.elasticsearch().url(), index, rejections, maxActions);
    }

    static Sink<DocumentAction> sink(String url, String index, String rejections, int maxActions) {
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of(url));
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS, maxActions);
        return ElasticsearchDocumentSinkFactory.create(
                options, new RecordingRejections(rejections));
    }

    static DocumentAction index(String index, String id, long version, String json) {
        return DocumentAction.index(
                index, id, version, "user:" + id, json.getBytes(StandardCharsets.UTF_8));
    }

    static String createIndex(String prefix, IndexDefinition definition) throws Exception {
        return createIndex(TestServices.elasticsearch().url(), prefix, definition);
    }

    static String createIndex(String url, String prefix, IndexDefinition definition)
            throws Exception {
        String index = TestServices.uniqueName(prefix);
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(url, Duration.ofSeconds(5))) {
            indexes.createIndexIfAbsent(index, definition);
        }
        return index;
    }

    private static SearchClient search() {
        return new SearchClient(TestServices.elasticsearch().url());
    }

    private static long version(String index, String id) throws Exception {
        String body =
                TestServices.elasticsearch()
                        .http()
                        .send("GET", "/" + index + "/_doc/" + id, null)
                        .body();
        return new ObjectMapper().readTree(body).path("_version").asLong();
    }
}
