package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two rollup operators in test harnesses: updates, moves, deletes, extremes, lateness. */
class RollupOperatorsTest {
    /** 2024-03-01T10:00:00Z, the start of a one-minute window. */
    static final long T0 = 1_709_287_200_000L;

    static final RollupSpec ORDERS =
            RollupSpec.builder("orders_per_minute")
                    .sourceIndex("orders")
                    .targetIndex("order-rollups")
                    .timeField("at")
                    .window(Duration.ofMinutes(1))
                    .groupBy("status")
                    .metric(RollupMetric.count())
                    .metric(RollupMetric.of(RollupMetric.Kind.SUM, "amount"))
                    .metric(RollupMetric.of(RollupMetric.Kind.AVG, "amount"))
                    .metric(RollupMetric.of(RollupMetric.Kind.MIN, "amount"))
                    .metric(RollupMetric.of(RollupMetric.Kind.MAX, "amount"))
                    .allowedLateness(Duration.ofMinutes(1))
                    .build();

    private RollupHarness harness;
    private long version = 1_000;

    @BeforeEach
    void start() throws Exception {
        harness = new RollupHarness(List.of(ORDERS));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void updateRetractsTheOldContributionAndAddsTheNew() throws Exception {
        order("1", T0 + 1_000, "new", "10");
        order("2", T0 + 2_000, "new", "20");
        order("1", T0 + 1_000, "new", "15");

        assertThat(harness.rollupIndex()).containsOnlyKeys(id(T0, "new"));
        assertRollup(id(T0, "new"), 2, "35", "17.5", "15", "20");
    }

    @Test
    void updateThatChangesTheGroupMovesTheContribution() throws Exception {
        order("1", T0 + 1_000, "new", "10");
        order("2", T0 + 2_000, "new", "20");
        order("1", T0 + 1_000, "paid", "10");

        assertThat(harness.rollupIndex()).containsOnlyKeys(id(T0, "new"), id(T0, "paid"));
        assertRollup(id(T0, "new"), 1, "20", "20", "20", "20");
        assertRollup(id(T0, "paid"), 1, "10", "10", "10", "10");
        assertThat(harness.rollupIndex().get(id(T0, "paid")).get("status").asText())
                .isEqualTo("paid");
    }

    @Test
    void updateThatChangesTheTimeMovesTheContributionToAnotherWindow() throws Exception {
        order("1", T0 + 1_000, "new", "10");
        order("2", T0 + 2_000, "new", "20");
        order("2", T0 + 61_000, "new", "20");

        assertRollup(id(T0, "new"), 1, "10", "10", "10", "10");
        assertRollup(id(T0 + 60_000, "new"), 1, "20", "20", "20", "20");
        JsonNode moved = harness.rollupIndex().get(id(T0 + 60_000, "new"));
        assertThat(moved.get("window_start").asText()).isEqualTo("2024-03-01T10:01:00Z");
        assertThat(moved.get("window_end").asText()).isEqualTo("2024-03-01T10:02:00Z");
    }

    @Test
    void deleteRemovesTheContribution() throws Exception {
        order("1", T0 + 1_000, "new", "10");
        order("2", T0 + 2_000, "new", "20");
        harness.delete("orders", "2", ++version);

        assertRollup(id(T0, "new"), 1, "10", "10", "10", "10");
    }

    @Test
    void minAndMaxStayRightWhenTheCurrentExtremeIsDeleted() throws Exception {
        order("a", T0, "new", "5");
        order("b", T0, "new", "5.0");
        order("c", T0, "new", "7");
        order("d", T0, "new", "9");
        harness.delete("orders", "a", ++version);
        assertRollup(id(T0, "new"), 3, "21", "7", "5", "9"); // the other 5 is still there

        harness.delete("orders", "b", ++version);
        assertRollup(id(T0, "new"), 2, "16", "8", "7", "9");

        harness.delete("orders", "d", ++version);
        assertRollup(id(T0, "new"), 1, "7", "7", "7", "7");

        order("c", T0, "new", "3");
        order("e", T0, "new", "4");
        assertRollup(id(T0, "new"), 2, "7", "3.5", "3", "4");
    }

    @Test
    void anEmptiedGroupsDocumentIsDeletedAndComesBackWithAHigherVersion() throws Exception {
        order("1", T0, "new", "10");
        order("1", T0, "paid", "10");

        assertThat(harness.rollupIndex()).containsOnlyKeys(id(T0, "paid"));
        DocumentAction last = lastWriteOf(id(T0, "new"));
        assertThat(last.getOp()).isEqualTo(DocumentAction.Op.DELETE);
        assertThat(last.getIndex()).isEqualTo("order-rollups");

        // A change read earlier than the delete's version: the document still gets a newer one.
        harness.put("orders", "2", 5, "{\"at\":" + T0 + ",\"status\":\"new\",\"amount\":\"1\"}");
        assertThat(lastWriteOf(id(T0, "new")).getVersion()).isGreaterThan(last.getVersion());
        assertRollup(id(T0, "new"), 1, "1", "1", "1", "1");
    }

    @Test
    void lateChangesAreDroppedAndCounted() throws Exception {
        order("1", T0 + 1_000, "new", "10");
        order("2", T0 + 2_000, "new", "20");
        // Window [T0, T0+60s) with one minute of lateness closes at T0 + 120s - 1.
        harness.watermark(T0 + 119_998);
        order("3", T0 + 3_000, "new", "30"); // late, but within the allowed lateness
        assertRollup(id(T0, "new"), 3, "60", "20", "10", "30");
        assertThat(harness.late()).isEmpty();

        harness.watermark(T0 + 119_999);
        order("4", T0 + 4_000, "new", "40"); // too late: dropped
        order("2", T0 + 180_000, "new", "20"); // leaves the closed window, enters an open one
        harness.delete("orders", "1", ++version); // a delete in the closed window

        assertRollup(id(T0, "new"), 3, "60", "20", "10", "30"); // frozen
        assertRollup(id(T0 + 180_000, "new"), 1, "20", "20", "20", "20");
        // Only the refused addition is late: the closed window's contributions were forgotten when
        // it closed, so the move and the delete have nothing there to retract.
        assertThat(harness.late())
                .extracting(d -> d.sign + " " + d.contribution.values[0].toPlainString())
                .containsExactly("1 40");
    }

    /**
     * Watermarks are not checkpointed: a restored job starts without one, and the rescan re-reads
     * the records of windows closed before the failure. Their final documents must stay.
     */
    @Test
    void aWindowClosedBeforeARestoreStaysClosedAfterIt() throws Exception {
        order("1", T0 + 1_000, "new", "10");
        order("2", T0 + 2_000, "new", "20");
        harness.watermark(T0 + 119_999); // closes [T0, T0+60s)
        harness.restartFromCheckpoint();
        int written = harness.written().size();

        order("1", T0 + 1_000, "new", "10"); // the rescan: unchanged, before any watermark
        order("5", T0 + 5_000, "new", "50"); // created while the job was down: too late

        assertRollup(id(T0, "new"), 2, "30", "15", "10", "20"); // frozen
        assertThat(harness.written()).hasSize(written);
        assertThat(harness.late()).hasSize(2);
    }

    @Test
    void staleReadsAndChangesToOtherFieldsWriteNothing() throws Exception {
        harness.put("orders", "1", 100, "{\"at\":" + T0 + ",\"status\":\"new\",\"amount\":10}");
        harness.put("orders", "1", 99, "{\"at\":" + T0 + ",\"status\":\"old\",\"amount\":99}");
        harness.put(
                "orders",
                "1",
                101,
                "{\"at\":" + T0 + ",\"status\":\"new\",\"amount\":10.0,\"note\":\"x\"}");
        harness.delete("orders", "1", 100);

        assertThat(harness.written()).hasSize(1);
        assertRollup(id(T0, "new"), 1, "10", "10", "10", "10");
    }

    @Test
    void recordsWithoutTimeOrGroupBelongToNoGroupAndNonNumbersToNoMetric() throws Exception {
        harness.put("orders", "1", ++version, "{\"status\":\"new\",\"amount\":1}");
        harness.put("orders", "2", ++version, "{\"at\":\"soon\",\"status\":\"new\"}");
        harness.put("orders", "3", ++version, "{\"at\":" + T0 + ",\"amount\":1}");
        harness.put("orders", "4", ++version, "{\"at\":" + T0 + ",\"status\":[\"a\"]}");
        harness.put("users", "5", ++version, "{\"at\":" + T0 + ",\"status\":\"new\"}");
        assertThat(harness.written()).isEmpty();

        harness.put(
                "orders",
                "6",
                ++version,
                "{\"at\":\"2024-03-01T10:00:30Z\",\"status\":\"new\",\"amount\":\"n/a\"}");
        JsonNode doc = harness.rollupIndex().get(id(T0, "new"));
        assertThat(doc.get("count").asLong()).isEqualTo(1);
        assertThat(doc.get("sum_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(doc.get("avg_amount").isNull()).isTrue();
        assertThat(doc.get("min_amount").isNull()).isTrue();
    }

    @Test
    void aRunningTotalHasOneDocumentPerGroupAndNoWindow() throws Exception {
        RollupSpec byCity =
                RollupSpec.builder("users_by_city")
                        .sourceKeyPattern("user:*")
                        .groupBy("city")
                        .metric(RollupMetric.of(RollupMetric.Kind.AVG, "age"))
                        .build();
        try (RollupHarness users = new RollupHarness(List.of(byCity))) {
            users.put("user", "1", 1, "{\"city\":\"Kraków\",\"age\":30}");
            users.put("user", "2", 2, "{\"city\":\"Kraków\",\"age\":41}");
            users.put("user", "3", 3, "{\"city\":\"Lyon\",\"age\":20}");
            users.put("user", "3", 4, "{\"city\":\"Kraków\",\"age\":20}");
            users.watermark(Long.MAX_VALUE); // closes no running total

            assertThat(users.rollupIndex()).containsOnlyKeys("users_by_city|total|Krak%C3%B3w");
            JsonNode doc = users.rollupIndex().get("users_by_city|total|Krak%C3%B3w");
            assertThat(doc.has("window_start")).isFalse();
            assertThat(doc.get("city").asText()).isEqualTo("Kraków");
            assertThat(doc.get("count").asLong()).isEqualTo(3);
            assertThat(doc.get("avg_age").decimalValue()).isEqualByComparingTo("30.33333333333333");
        }
    }

    private void order(String id, long at, String status, String amount) throws Exception {
        harness.put(
                "orders",
                id,
                ++version,
                "{\"at\":" + at + ",\"status\":\"" + status + "\",\"amount\":\"" + amount + "\"}");
    }

    private static String id(long windowStart, String status) {
        return "orders_per_minute|" + windowStart + "|" + status;
    }

    private DocumentAction lastWriteOf(String id) {
        DocumentAction last = null;
        for (DocumentAction action : harness.written()) {
            if (action.getId().equals(id)) {
                last = action;
            }
        }
        assertThat(last).as("a write of %s", id).isNotNull();
        return last;
    }

    private void assertRollup(
            String id, long count, String sum, String avg, String min, String max) {
        assertThat(harness.rollupIndex()).containsKey(id);
        JsonNode doc = harness.rollupIndex().get(id);
        assertThat(doc.get("rollup").asText()).isEqualTo("orders_per_minute");
        assertThat(doc.get("count").asLong()).as("count of %s", id).isEqualTo(count);
        assertNumber(doc, "sum_amount", sum);
        assertNumber(doc, "avg_amount", avg);
        assertNumber(doc, "min_amount", min);
        assertNumber(doc, "max_amount", max);
    }

    private static void assertNumber(JsonNode doc, String field, String expected) {
        assertThat(doc.get(field).decimalValue())
                .as("%s of %s", field, doc)
                .isEqualByComparingTo(new BigDecimal(expected));
    }
}
