package io.github.redisessync.job.sink;

import static io.github.redisessync.job.sink.VersionedSinkITCase.createIndex;
import static io.github.redisessync.job.sink.VersionedSinkITCase.index;
import static io.github.redisessync.job.sink.VersionedSinkITCase.sink;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.deadletter.DeadLetterOutputs;
import io.github.redisessync.job.deadletter.DeadLetterRejections;
import io.github.redisessync.job.testing.SearchServerTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/**
 * The sink suite, run by a subclass per server kind and version, each on a server of its own that
 * the build starts from the official distribution: versions (gate and 409), mapping conflicts as
 * dead letters (also in a dead-letter index the writer creates), many bulks of writes and deletes
 * against an oracle computed here, the server's kind and version as the writer reads them. The
 * tools on the same servers: {@code tools.cli.SearchServerToolsITCase}.
 */
public abstract class SearchServerSinkITCase extends SearchServerTest {

    // No MiniClusterExtension: each sink job gets a local environment of its own.

    protected SearchServerSinkITCase(SearchServerInfo.Kind kind, String version) {
        super(kind, version);
    }

    @Test
    void theWriterTellsTheServersKindAndVersion() throws Exception {
        try (RestClient low = RestClient.builder(HttpHost.create(url())).build()) {
            assertThat(SearchServerInfo.read(low)).isEqualTo(expected());
        }
    }

    @Test
    void versionFiveAfterVersionSevenKeepsSevenThroughTheGateAndAsASkippedConflict()
            throws Exception {
        String gated = createIndex(url(), "gate", IndexDefinition.dynamic());
        String conflict = createIndex(url(), "conflict", IndexDefinition.dynamic());
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(
                env.fromData(sevenThenFive(gated), TypeInformation.of(DocumentAction.class))
                        .setParallelism(1),
                sink(url(), gated, "unused-" + gated, 100));
        List<DocumentAction> direct = sevenThenFive(conflict);
        env.fromData(
                        List.of(direct.get(0), direct.get(2)),
                        TypeInformation.of(DocumentAction.class))
                .setParallelism(1)
                .sinkTo(sink(url(), conflict, "unused-" + conflict, 1))
                .uid("conflict-sink");
        env.execute("versions on " + expected());
        // A later job whose gate never saw version 7, as after a restore from an older checkpoint:
        // the server itself answers 409 to version 5, and the sink skips it.
        StreamExecutionEnvironment later = environment();
        RedisToElasticsearchJob.writeDocuments(
                later.fromData(List.of(direct.get(1)), TypeInformation.of(DocumentAction.class))
                        .setParallelism(1),
                sink(url(), conflict, "unused-" + conflict, 1));
        later.execute("an older version on " + expected());

        for (String index : List.of(gated, conflict)) {
            Map<String, JsonNode> documents = new SearchClient(url()).allDocuments(index);
            assertThat(documents).as(index).containsOnlyKeys("a", "b");
            assertThat(documents.get("a").get("name").asText()).as(index).isEqualTo("seven");
        }
    }

    @Test
    void documentThatConflictsWithTheMappingIsRejectedWhileTheOthersAreWritten() throws Exception {
        String index = createIndex(url(), "rejects", ages());
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
                sink(url(), index, rejections, 100));
        env.execute("mapping conflict on " + expected());

        assertThat(new SearchClient(url()).allDocuments(index)).containsOnlyKeys("1", "2");
        List<RejectedDocument> rejected = RecordingRejections.recorded(rejections);
        assertThat(rejected).extracting(RejectedDocument::id).containsExactly("bad");
        assertThat(rejected.get(0).origin()).isEqualTo("user:bad");
        assertThat(rejected.get(0).reason()).contains("failed to parse field [age]");
        assertThat(rejected.get(0).excerpt()).isEqualTo("{\"age\":\"old\"}");
    }

    @Test
    void aRejectedDocumentLandsInTheDeadLetterIndexTheWriterCreates() throws Exception {
        String index = createIndex(url(), "dlq", ages());
        String deadLetters = index + "-dead-letters";
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of(url()));
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
                        new DeadLetterRejections(DeadLetterOutputs.index(deadLetters, options))));
        env.execute("dead-letter index on " + expected());

        Map<String, JsonNode> letters = new SearchClient(url()).allDocuments(deadLetters);
        assertThat(letters).hasSize(1);
        Map.Entry<String, JsonNode> letter = letters.entrySet().iterator().next();
        assertThat(letter.getKey()).isEqualTo(letter.getValue().path("dead_letter_id").asText());
        assertThat(letter.getValue().path("key").asText()).isEqualTo("user:bad");
        assertThat(letter.getValue().path("version").asLong()).isEqualTo(4);
        assertThat(letter.getValue().path("reason_code").asText()).endsWith("parsing_exception");
    }

    /**
     * 4,000 writes and deletes of 400 documents (ids with quotes, backslashes and non-ASCII among
     * them) in bulks of 50: the index ends as the last action of each document says, computed here
     * from the list alone.
     */
    @Test
    void manyBulksOfWritesAndDeletesEndAsTheLastActionOfEachDocumentSays() throws Exception {
        String index = createIndex(url(), "many", IndexDefinition.dynamic());
        Random random = new Random(42);
        List<DocumentAction> actions = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        long version = 1_000;
        for (int i = 0; i < 4_000; i++) {
            String id = "doc-" + random.nextInt(400) + (i % 7 == 0 ? "-\"q\\é€" : "");
            version++;
            if (random.nextInt(5) == 0) {
                actions.add(DocumentAction.delete(index, id, version, "user:" + id));
                expected.remove(id);
            } else {
                String json = "{\"n\":" + i + "}";
                actions.add(index(index, id, version, json));
                expected.put(id, String.valueOf(i));
            }
        }
        StreamExecutionEnvironment env = environment();
        RedisToElasticsearchJob.writeDocuments(
                env.fromData(actions, TypeInformation.of(DocumentAction.class)).setParallelism(1),
                sink(url(), index, "unused-" + index, 50));
        env.execute("many bulks on " + expected());

        Map<String, JsonNode> documents = new SearchClient(url()).allDocuments(index);
        Map<String, String> actual = new HashMap<>();
        documents.forEach((id, doc) -> actual.put(id, doc.path("n").asText()));
        assertThat(actual).isEqualTo(expected);
    }

    private static IndexDefinition ages() {
        return IndexDefinition.parse(
                "{\"mappings\":{\"properties\":{\"age\":{\"type\":\"integer\"}}}}", "ages");
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
