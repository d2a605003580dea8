package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkResponseItemsTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAnswerWithoutErrorsIsNotReadItemByItem() throws IOException {
        assertThat(BulkResponseItems.failuresOrEmpty(utf8("{\"errors\":false}"), 1000)).isEmpty();
    }

    @Test
    void failedItemsKeepTheirPositionStatusAndReason() throws IOException {
        // As Elasticsearch 8.19 answers with the writer's filter_path.
        String answer =
                "{\"errors\":true,\"items\":["
                        + "{\"index\":{\"status\":201}},"
                        + "{\"index\":{\"status\":409,\"error\":{\"type\":"
                        + "\"version_conflict_engine_exception\",\"reason\":\"[a]: version"
                        + " conflict\"}}},"
                        + "{\"index\":{\"status\":400,\"error\":{\"type\":\"document_parsing_exception\","
                        + "\"reason\":\"failed to parse field [age]\",\"caused_by\":{\"reason\":"
                        + "\"For input string: \\\"old\\\"\"}}}},"
                        + "{\"delete\":{\"status\":404}},"
                        + "{\"index\":{\"status\":429,\"error\":{\"type\":"
                        + "\"es_rejected_execution_exception\",\"reason\":\"rejected\"}}}]}";
        List<BulkResponseItems.Item> items = BulkResponseItems.failuresOrEmpty(utf8(answer), 5);
        assertThat(items)
                .extracting(BulkOutcome::ofItem)
                .containsExactly(
                        BulkOutcome.WRITTEN,
                        BulkOutcome.VERSION_CONFLICT,
                        BulkOutcome.REJECTED,
                        BulkOutcome.WRITTEN,
                        BulkOutcome.RETRY);
        assertThat(items.get(2).describe())
                .isEqualTo(
                        "document_parsing_exception: failed to parse field [age] (For input"
                                + " string: \"old\")");
    }

    @Test
    void anAnswerForAnotherNumberOfItemsIsAnError() {
        assertThatThrownBy(
                        () ->
                                BulkResponseItems.failuresOrEmpty(
                                        utf8(
                                                "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}}]}"),
                                        2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("1 items for the 2 sent");
        assertThatThrownBy(() -> BulkResponseItems.failuresOrEmpty(utf8("[]"), 1))
                .isInstanceOf(IOException.class);
    }
}
