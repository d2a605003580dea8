package io.github.redisessync.job.sink;

import static io.github.redisessync.job.sink.VersionedSinkITCase.createIndex;
import static io.github.redisessync.job.sink.VersionedSinkITCase.index;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.SearchServerKind;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.MiniClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that takes at most 1 MB per request ({@code http.max_content_length}): bulks the writer
 * builds up to 5 MB are refused with 413 and sent again in halves until they fit, and the one
 * document larger than the limit on its own becomes a dead letter while every other is written.
 */
class OversizedBulkITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static ElasticsearchDistributionNode node;

    @BeforeAll
    static void start() {
        // OpenSearch 2 starts fastest of the distributions here; the limit is the same setting.
        node =
                ElasticsearchDistributionNode.builder(SearchServerKind.OPENSEARCH)
                        .version("2.19.1")
                        .setting("http.max_content_length", "1mb")
                        .start();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void bulksTooLargeAreSplitAndTheOneDocumentTooLargeIsADeadLetter() throws Exception {
        String index = createIndex(node.url(), "oversized", IndexDefinition.dynamic());
        String rejections = "rejections-" + index;
        String tenth = "x".repeat(100_000);
        List<DocumentAction> actions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            actions.add(index(index, "doc-" + i, 1, "{\"text\":\"" + tenth + "\"}"));
            if (i == 20) {
                actions.add(
                        index(index, "huge", 1, "{\"text\":\"" + "y".repeat(1_500_000) + "\"}"));
            }
        }
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of(node.url()));
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB, 5);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(60_000); // the end of input flushes; no checkpoint splits the bulk
        RedisToElasticsearchJob.writeDocuments(
                env.fromData(actions, TypeInformation.of(DocumentAction.class)),
                ElasticsearchDocumentSinkFactory.create(
                        options, new RecordingRejections(rejections)));
        env.execute("bulks over http.max_content_length");

        Map<String, JsonNode> documents = new SearchClient(node.url()).allDocuments(index);
        assertThat(documents.keySet())
                .isEqualTo(
                        IntStream.range(0, 40)
                                .mapToObj(i -> "doc-" + i)
                                .collect(Collectors.toSet()));
        assertThat(documents.values())
                .allSatisfy(doc -> assertThat(doc.path("text").asText()).isEqualTo(tenth));
        List<RejectedDocument> rejected = RecordingRejections.recorded(rejections);
        assertThat(rejected).extracting(RejectedDocument::id).containsExactly("huge");
        assertThat(rejected.get(0).origin()).isEqualTo("user:huge");
        assertThat(rejected.get(0).reason()).contains("413").contains("http.max_content_length");
    }
}
