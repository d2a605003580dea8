package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BulkOutcomeTest {

    private static BulkOutcome item(int status) {
        return BulkOutcome.ofItem(new BulkResponseItems.Item(status, "some_exception", "why"));
    }

    @Test
    void itemsAreSortedByWhatARetryCanChange() {
        assertThat(BulkOutcome.ofItem(new BulkResponseItems.Item(201, null, null)))
                .isEqualTo(BulkOutcome.WRITTEN);
        assertThat(item(409)).isEqualTo(BulkOutcome.VERSION_CONFLICT);
        assertThat(item(400)).isEqualTo(BulkOutcome.REJECTED);
        assertThat(item(429)).isEqualTo(BulkOutcome.RETRY);
        assertThat(item(503)).isEqualTo(BulkOutcome.RETRY);
        // Automatic index creation off, or a missing privilege: no retry helps.
        assertThat(item(404)).isEqualTo(BulkOutcome.FATAL);
        assertThat(item(403)).isEqualTo(BulkOutcome.FATAL);
    }

    @Test
    void wholeRequestsAreRetriedOnlyForOverloadServerTroubleAndLostConnections() {
        assertThat(BulkOutcome.ofRequest(0)).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(429)).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(502)).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(401)).isEqualTo(BulkOutcome.FATAL);
        // A refused media type: what Elasticsearch 9 answered the old client's compatible-with=7.
        assertThat(BulkOutcome.ofRequest(406)).isEqualTo(BulkOutcome.FATAL);
        assertThat(BulkOutcome.ofRequest(400)).isEqualTo(BulkOutcome.FATAL);
    }

    @Test
    void anExcerptIsShortEvenForAHugeSource() {
        byte[] huge = new byte[5_000_000];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertThat(BulkFailures.excerpt(huge)).hasSize(203).endsWith("...");
        assertThat(BulkFailures.excerpt("{\"a\":1}".getBytes())).isEqualTo("{\"a\":1}");
    }
}
