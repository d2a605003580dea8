package io.github.redisessync.job.sink;

import static io.github.redisessync.job.sink.VersionedSinkITCase.createIndex;
import static io.github.redisessync.job.sink.VersionedSinkITCase.index;
import static io.github.redisessync.job.sink.VersionedSinkITCase.sink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DeadLetterOutputs;
import io.github.redisessync.connector.elasticsearch.DeadLetterRejections;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchServerVersion;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.MiniClusters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.HttpHost;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.xcontent.XContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's sink half (version gate, versioned bulk writes, error classes) on a real Elasticsearch
 * 8.19.21 that this class starts itself from the official integ-test-zip (security off), whatever
 * server the rest of the suite uses.
 *
 * <p>Covers on 8.x: a version 5 after version 7 keeps version 7, through the gate and as a 409 the
 * sink skips; a mapping conflict becomes a dead letter while the rest is written, and lands in a
 * dead-letter index the writer creates; the 7.10 client needs the REST compatibility headers, which
 * the writer sends. Not covered: anything needing scripts (that distribution has no painless; the
 * sink uses none), nor security on 8.x (see {@code SecureElasticsearchSinkITCase}).
 */
class Elasticsearch8SinkITCase {

    static final String VERSION = "8.19.21";

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static ElasticsearchDistributionNode es;

    @BeforeAll
    static void startElasticsearch8() {
        es = ElasticsearchDistributionNode.start(VERSION);
    }

    @AfterAll
    static void stopElasticsearch8() {
        if (es != null) {
            es.close();
        }
    }

    @Test
    void versionFiveAfterVersionSevenKeepsSevenThroughTheGateAndAsASkippedConflict()
            throws Exception {
        String gated = createIndex(es.url(), "es8-gate", IndexDefinition.dynamic());
        String direct = createIndex(es.url(), "es8-conflict", IndexDefinition.dynamic());
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(
                env.fromData(sevenThenFive(gated), TypeInformation.of(DocumentAction.class))
                        .setParallelism(1),
                sink(es.url(), gated, "unused-" + gated, 100),
                Duration.ofHours(1));
        // No gate, one action per bulk: Elasticsearch 8 itself answers 409 to version 5.
        env.fromData(sevenThenFive(direct), TypeInformation.of(DocumentAction.class))
                .setParallelism(1)
                .sinkTo(sink(es.url(), direct, "unused-" + direct, 1))
                .setParallelism(1);
        env.execute("versions on Elasticsearch 8");

        for (String index : List.of(gated, direct)) {
            Map<String, JsonNode> documents = new SearchClient(es.url()).allDocuments(index);
            assertThat(documents).as(index).containsOnlyKeys("a", "b");
            assertThat(documents.get("a").get("name").asText()).as(index).isEqualTo("seven");
        }
    }

    @Test
    void documentThatConflictsWithTheMappingIsRejectedWhileTheOthersAreWritten() throws Exception {
        IndexDefinition ages =
                IndexDefinition.parse(
                        "{\"mappings\":{\"properties\":{\"age\":{\"type\":\"integer\"}}}}", "ages");
        String index = createIndex(es.url(), "es8-rejects", ages);
        String rejections = "rejections-" + index;
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(
                env.fromData(
                                List.of(
                                        index(index, "1", 1, "{\"age\":31}"),
                                        index(index, "bad", 1, "{\"age\":\"old\"}"),
                                        index(index, "2", 1, "{\"age\":42}")),
                                TypeInformation.of(DocumentAction.class))
                        .setParallelism(1),
                sink(es.url(), index, rejections, 100),
                Duration.ofHours(1));
        env.execute("mapping conflict on Elasticsearch 8");

        assertThat(new SearchClient(es.url()).allDocuments(index)).containsOnlyKeys("1", "2");
        List<RejectedDocument> rejected = RecordingRejections.recorded(rejections);
        assertThat(rejected).extracting(RejectedDocument::id).containsExactly("bad");
        // document_parsing_exception on 8.x.
        assertThat(rejected.get(0).reason()).contains("failed to parse field [age]");
    }

    @Test
    void aRejectedDocumentLandsInTheDeadLetterIndexOnElasticsearch8() throws Exception {
        IndexDefinition ages =
                IndexDefinition.parse(
                        "{\"mappings\":{\"properties\":{\"age\":{\"type\":\"integer\"}}}}", "ages");
        String index = createIndex(es.url(), "es8-dlq", ages);
        String deadLetters = index + "-dead-letters";
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of(es.url()));
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(
                env.fromData(
                                List.of(
                                        index(index, "1", 1, "{\"age\":31}"),
                                        index(index, "bad", 4, "{\"age\":\"old\"}")),
                                TypeInformation.of(DocumentAction.class))
                        .setParallelism(1),
                ElasticsearchDocumentSinkFactory.create(
                        options,
                        new DeadLetterRejections(DeadLetterOutputs.index(deadLetters, options))),
                Duration.ofHours(1));
        env.execute("dead-letter index on Elasticsearch 8");

        // Created by the writer itself (nothing prepared it) with the dead-letter mapping.
        Map<String, JsonNode> letters = new SearchClient(es.url()).allDocuments(deadLetters);
        assertThat(letters).hasSize(1);
        Map.Entry<String, JsonNode> letter = letters.entrySet().iterator().next();
        assertThat(letter.getKey()).isEqualTo(letter.getValue().path("dead_letter_id").asText());
        assertThat(letter.getValue().path("key").asText()).isEqualTo("user:bad");
        assertThat(letter.getValue().path("id").asText()).isEqualTo("bad");
        assertThat(letter.getValue().path("version").asLong()).isEqualTo(4);
        assertThat(letter.getValue().path("reason_code").asText())
                .isEqualTo("document_parsing_exception");
        assertThat(
                        new SearchClient(es.url())
                                .send("GET", "/" + deadLetters + "/_mapping", null)
                                .path(deadLetters)
                                .path("mappings")
                                .path("properties")
                                .path("reason")
                                .path("type")
                                .asText())
                .isEqualTo("text");
    }

    @Test
    void theSevenTenClientNeedsTheCompatibilityHeadersTheWriterSends() throws Exception {
        String version;
        try (RestClient low = RestClient.builder(HttpHost.create(es.url())).build()) {
            version = ElasticsearchServerVersion.read(low);
        }
        assertThat(version).isEqualTo(VERSION);
        RequestOptions options = ElasticsearchServerVersion.requestOptionsFor(version);
        assertThat(options.getHeaders())
                .extracting(header -> header.getName() + ": " + header.getValue())
                .contains(
                        "Accept: application/vnd.elasticsearch+json;compatible-with=7",
                        "Content-Type: application/vnd.elasticsearch+json;compatible-with=7");

        String index = createIndex(es.url(), "es8-headers", IndexDefinition.dynamic());
        try (RestHighLevelClient client =
                new RestHighLevelClient(RestClient.builder(HttpHost.create(es.url())))) {
            // What the connector's own writer would send: plain JSON, which 8.x answers in a
            // form the 7.10 client cannot read.
            assertThatThrownBy(() -> client.bulk(bulk(index, "plain"), RequestOptions.DEFAULT))
                    .hasMessageContaining("Unable to parse response body");
            BulkResponse withHeaders = client.bulk(bulk(index, "compatible"), options);
            assertThat(withHeaders.hasFailures()).isFalse();
        }
    }

    private static BulkRequest bulk(String index, String id) {
        return new BulkRequest()
                .add(new IndexRequest(index).id(id).source("{\"n\":1}", XContentType.JSON));
    }

    private static List<DocumentAction> sevenThenFive(String index) {
        return List.of(
                index(index, "a", 7, "{\"name\":\"seven\"}"),
                index(index, "a", 5, "{\"name\":\"five\"}"),
                index(index, "b", 1, "{\"name\":\"one\"}"));
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }
}
