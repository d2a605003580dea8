package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkRequestBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesVersionedIndexAndDeleteLinesByteForByte() {
        byte[] body =
                BulkRequestBody.of(
                        List.of(
                                DocumentAction.index(
                                        "users", "42", 7L, "user:42", utf8("{\"a\":1}")),
                                DocumentAction.delete("users", "43", 9L, "user:43")));
        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"index\":{\"_index\":\"users\",\"_id\":\"42\",\"version\":7,"
                                + "\"version_type\":\"external_gte\"}}\n"
                                + "{\"a\":1}\n"
                                + "{\"delete\":{\"_index\":\"users\",\"_id\":\"43\",\"version\":9,"
                                + "\"version_type\":\"external_gte\"}}\n");
    }

    @Test
    void idsWithQuotesBackslashesControlCharactersAndUnicodeStayValidJson() throws Exception {
        String id = "a\"b\\c\nd\te\u0001f\u2028g-é-\uD83D\uDE00";
        byte[] body =
                BulkRequestBody.of(
                        List.of(DocumentAction.index("i", id, 1L, "k", utf8("{\"x\":\"y\"}"))));
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        // Jackson as the independent reader: the id survives the round trip exactly.
        JsonNode action = JSON.readTree(lines[0]);
        assertThat(action.path("index").path("_id").asText()).isEqualTo(id);
        assertThat(JSON.readTree(lines[1]).path("x").asText()).isEqualTo("y");
    }

    @Test
    void theEstimateCoversWhatTheBodyHolds() {
        List<DocumentAction> actions =
                List.of(
                        DocumentAction.index(
                                "orders",
                                "o-1",
                                1_733_000_000_000_000L,
                                "order:1",
                                utf8("{\"n\":1}")),
                        DocumentAction.delete("orders", "o-2", 1_733_000_000_000_001L, "order:2"));
        int estimate = actions.stream().mapToInt(BulkRequestBody::estimatedBytes).sum();
        assertThat(BulkRequestBody.of(actions).length).isLessThanOrEqualTo(estimate);
    }

    @Test
    void onlySingleLineSourcesFitAnNdjsonLine() {
        assertThat(BulkRequestBody.isSingleLine(utf8("{\"a\":\"x\\ny\"}"))).isTrue();
        assertThat(BulkRequestBody.isSingleLine(utf8("{\n\"a\":1}"))).isFalse();
        assertThat(BulkRequestBody.isSingleLine(utf8("{\"a\":1}\r"))).isFalse();
    }
}
