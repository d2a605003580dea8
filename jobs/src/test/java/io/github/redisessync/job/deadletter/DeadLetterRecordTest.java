package io.github.redisessync.job.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The stored form of a dead letter: its fields, its bounds, and an id that survives replays. */
class DeadLetterRecordTest {
    private static final Instant TIME = Instant.parse("2024-05-01T10:15:30Z");
    private static final String REASON =
            "Elasticsearch exception [type=mapper_parsing_exception, reason=failed to parse field"
                    + " [age] of type [integer] in document with id 'bad'.]";

    @Test
    void aRejectedDocumentIsOneObjectWithKeyIndexIdReasonExcerptTimeAndJob() throws Exception {
        RejectedDocument rejected =
                new RejectedDocument("user:bad", "users", "bad", 17, REASON, "{\"age\":\"old\"}");
        JsonNode json =
                new ObjectMapper()
                        .readTree(DeadLetterRecord.rejected(rejected, TIME, "sync").toJsonLine());

        assertThat(json.path("stage").asText()).isEqualTo("elasticsearch");
        assertThat(json.path("key").asText()).isEqualTo("user:bad");
        assertThat(json.path("index").asText()).isEqualTo("users");
        assertThat(json.path("id").asText()).isEqualTo("bad");
        assertThat(json.path("version").asLong()).isEqualTo(17);
        assertThat(json.path("reason_code").asText()).isEqualTo("mapper_parsing_exception");
        assertThat(json.path("reason").asText()).isEqualTo(REASON);
        assertThat(json.path("excerpt").asText()).isEqualTo("{\"age\":\"old\"}");
        assertThat(json.path("time").asText()).isEqualTo("2024-05-01T10:15:30Z");
        assertThat(json.path("job").asText()).isEqualTo("sync");
        assertThat(json.path("dead_letter_id").asText()).hasSize(32);
    }

    @Test
    void unknownPartsAreLeftOutAndAnUnknownErrorTypeIsRejected() {
        RejectedDocument bare = new RejectedDocument(null, "users", "1", -1, "no type here", "");
        JsonNode json = DeadLetterRecord.rejected(bare, TIME, null).toJson();
        assertThat(json.has("key")).isFalse();
        assertThat(json.has("version")).isFalse();
        assertThat(json.has("job")).isFalse();
        assertThat(json.path("reason_code").asText()).isEqualTo("rejected");
    }

    @Test
    void theErrorTypeIsReadFromTheSinksReasonsAndFromTheOldClientsMessages() {
        assertThat(DeadLetterRecord.errorType("document_parsing_exception: failed to parse"))
                .isEqualTo("document_parsing_exception");
        assertThat(DeadLetterRecord.errorType("document_too_large: the server refused it (413)"))
                .isEqualTo("document_too_large");
        assertThat(
                        DeadLetterRecord.errorType(
                                "Elasticsearch exception [type=mapper_parsing_exception, reason=x]"))
                .isEqualTo("mapper_parsing_exception");
        // A colon later in a sentence is no type.
        assertThat(DeadLetterRecord.errorType("the reason: something")).isEqualTo("rejected");
    }

    @Test
    void excerptAndReasonAreBoundedWithoutSplittingACharacter() {
        String longValue =
                "x".repeat(DeadLetterRecord.MAX_EXCERPT_CHARS - 1) + "😀" + "y".repeat(50);
        DeadLetterRecord record =
                record("user:1", "bad-date", "r".repeat(5000), longValue, 1, TIME);
        JsonNode json = record.toJson();
        assertThat(json.path("reason").asText())
                .hasSize(DeadLetterRecord.MAX_REASON_CHARS + 3)
                .endsWith("...");
        // The emoji would straddle the limit: cut before it, not through it.
        assertThat(json.path("excerpt").asText())
                .isEqualTo("x".repeat(DeadLetterRecord.MAX_EXCERPT_CHARS - 1) + "...");
    }

    @Test
    void theIdIsTheSameForTheSameRefusalWhateverTheVersionAndTime() {
        DeadLetterRecord first = record("user:1", "bad-date", "born is not a date", "{}", 1, TIME);
        DeadLetterRecord replay =
                record("user:1", "bad-date", "born is not a date", "{}", 99, TIME.plusSeconds(60));
        assertThat(replay.deadLetterId()).isEqualTo(first.deadLetterId());
        assertThat(record("user:2", "bad-date", "born is not a date", "{}", 1, TIME).deadLetterId())
                .isNotEqualTo(first.deadLetterId());
        assertThat(
                        record("user:1", "bad-number", "age is not a number", "{}", 1, TIME)
                                .deadLetterId())
                .isNotEqualTo(first.deadLetterId());
        assertThat(
                        record("user:1", "bad-date", "born is not a date", "{\"b\":1}", 1, TIME)
                                .deadLetterId())
                .isNotEqualTo(first.deadLetterId());
    }

    @Test
    void theIndexMappingMakesKeyIndexAndCodeKeywordsReasonTextAndTimeADate() {
        IndexDefinition definition = DeadLetterRecord.indexDefinition();
        assertThat(definition.fieldTypes())
                .containsEntry("key", "keyword")
                .containsEntry("index", "keyword")
                .containsEntry("reason_code", "keyword")
                .containsEntry("reason", "text")
                .containsEntry("time", "date")
                .containsEntry("version", "long");
        assertThat(definition.body()).contains("\"excerpt\":{\"type\":\"keyword\",\"index\":false");
    }

    private static DeadLetterRecord record(
            String key, String code, String reason, String excerpt, long version, Instant time) {
        return new DeadLetterRecord(
                DeadLetterRecord.MAPPING,
                key,
                "users",
                null,
                version,
                code,
                reason,
                excerpt,
                time,
                "job");
    }
}
