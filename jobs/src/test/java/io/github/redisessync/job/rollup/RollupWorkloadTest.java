package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random workloads of creates, updates that move records between groups and windows, deletes and
 * stale reads: the rollup index ends equal to an aggregation computed from scratch over the current
 * records, and a run restored from checkpoints mid-stream writes exactly the same actions.
 */
class RollupWorkloadTest {
    private static final long T0 = RollupOperatorsTest.T0;
    private static final String[] STATUSES = {"new", "paid", "shipped"};
    private static final String[] REGIONS = {"eu", "us"};
    private static final String[] AMOUNTS = {"1", "2.5", "2.50", "7", "10", "-3", "0"};

    private static final RollupSpec BY_STATUS_AND_REGION =
            RollupSpec.builder("by_status_and_region")
                    .sourceIndex("orders")
                    .timeField("at")
                    .window(Duration.ofMinutes(2))
                    .groupBy("status", "region")
                    .metric(RollupMetric.of(RollupMetric.Kind.COUNT, "amount"))
                    .metric(RollupMetric.of(RollupMetric.Kind.MAX, "amount"))
                    .metric(RollupMetric.of(RollupMetric.Kind.SUM, "amount"))
                    .build();

    private static final List<RollupSpec> SPECS =
            List.of(RollupOperatorsTest.ORDERS, BY_STATUS_AND_REGION);

    /**
     * One step of a workload: a put (json != null) or a delete of {@code id} at {@code version}.
     */
    private static final class Step {
        final String id;
        final long version;
        final String json;

        Step(String id, long version, String json) {
            this.id = id;
            this.version = version;
            this.json = json;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void rollupsEqualAnAggregationOverTheCurrentRecords(long seed) throws Exception {
        List<Step> steps = workload(seed);
        try (RollupHarness harness = new RollupHarness(SPECS)) {
            run(harness, steps, 0);
            Map<String, String> current = currentRecords(steps);
            assertEqualToTheAggregation(harness, current);
        }
    }

    /**
     * Restored from checkpoints taken just before (nothing lost): the same rollup documents. Not
     * the same writes: after a restore each record's first change writes its aggregates again, even
     * when unchanged, because a real restore cannot tell what was written after the checkpoint.
     */
    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void aRunRestoredFromCheckpointsEndsWithTheSameDocuments(long seed) throws Exception {
        List<Step> steps = workload(seed);
        try (RollupHarness straight = new RollupHarness(SPECS);
                RollupHarness restored = new RollupHarness(SPECS)) {
            run(straight, steps, 0);
            run(restored, steps, 37);
            assertThat(restored.rollupIndex()).isNotEmpty().isEqualTo(straight.rollupIndex());
        }
    }

    /**
     * A real restore: the state goes back to a checkpoint while the rollup index keeps what was
     * written after it, more changes happen while the job is down, and the source does not replay
     * them but rescans the current records (in another order, with newer versions) and sends its
     * catch-up marker; the sweep then refreshes every rollup document. The rollup index ends equal
     * to the aggregation of the current records: deletes after the checkpoint retracted, groups
     * emptied after it deleted, records moved away and back counted where they are.
     */
    @ParameterizedTest
    @ValueSource(longs = {6, 7, 8, 9})
    void aRestoreWithoutReplayEndsEqualAfterTheCatchUp(long seed) throws Exception {
        List<Step> steps = workload(seed);
        int checkpointAt = 150;
        int failAt = 280;
        try (RollupHarness harness = new RollupHarness(SPECS)) {
            run(harness, steps.subList(0, checkpointAt), 0);
            OperatorSubtaskState[] checkpoint = harness.checkpoint();
            run(harness, steps.subList(checkpointAt, failAt), 0);
            harness.restore(checkpoint); // the job is down for the remaining steps
            Map<String, String> current = currentRecords(steps);
            long rescanStart = steps.stream().mapToLong(step -> step.version).max().getAsLong() + 1;
            long version = rescanStart;
            List<String> ids = new ArrayList<>(current.keySet());
            Collections.shuffle(ids, new Random(seed));
            for (String id : ids) {
                harness.put("orders", id, ++version, current.get(id));
            }
            harness.catchUpFinished("orders", rescanStart);
            harness.refreshRollupDocuments(++version);

            assertEqualToTheAggregation(harness, current);
        }
    }

    /**
     * The corner that the refresh of the documents in Elasticsearch cannot reach: the only record
     * of a group moves away after the checkpoint (its document is deleted), and back while the job
     * is down. The restored state counts it where it is, the rescan reads it unchanged, and no
     * document exists to refresh; the record's first read after the restore writes its aggregate
     * again.
     */
    @Test
    void aRecordMovedAwayAfterTheCheckpointAndBackWhileDownCountsWhereItIs() throws Exception {
        String paid = "{\"at\":" + T0 + ",\"status\":\"paid\",\"region\":\"eu\",\"amount\":\"7\"}";
        String shipped = paid.replace("paid", "shipped");
        try (RollupHarness harness = new RollupHarness(SPECS)) {
            harness.put("orders", "o1", 1, paid);
            OperatorSubtaskState[] checkpoint = harness.checkpoint();
            harness.put("orders", "o1", 2, shipped);
            harness.restore(checkpoint);
            harness.put("orders", "o1", 10, paid); // the rescan, after o1 moved back
            harness.catchUpFinished("orders", 9);
            harness.refreshRollupDocuments(11);

            assertThat(harness.rollupIndex()).isNotEmpty();
            assertEqualToTheAggregation(harness, Map.of("o1", paid));
        }
    }

    /** The rollup index holds exactly the documents computed from scratch over {@code records}. */
    private static void assertEqualToTheAggregation(
            RollupHarness harness, Map<String, String> records) {
        Map<String, Map<String, String>> expected = new TreeMap<>();
        for (RollupSpec spec : SPECS) {
            expected.putAll(aggregate(spec, records));
        }
        Map<String, Map<String, String>> actual = new TreeMap<>();
        harness.rollupIndex().forEach((id, doc) -> actual.put(id, canonical(doc)));
        assertThat(actual).isEqualTo(expected);
    }

    private static void run(RollupHarness harness, List<Step> steps, int restartEvery)
            throws Exception {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.json == null) {
                harness.delete("orders", step.id, step.version);
            } else {
                harness.put("orders", step.id, step.version, step.json);
            }
            if (restartEvery > 0 && i % restartEvery == restartEvery - 1) {
                harness.restartFromCheckpoint();
            }
        }
    }

    private static List<Step> workload(long seed) {
        Random random = new Random(seed);
        List<Step> steps = new ArrayList<>();
        long version = 1_000;
        for (int i = 0; i < 400; i++) {
            String id = "o" + random.nextInt(25);
            int kind = random.nextInt(10);
            // A stale read: older than what was last read of any key, so older than this key's too.
            long stepVersion = kind == 9 ? version - 500 : ++version;
            if (kind == 0 || kind == 1) {
                steps.add(new Step(id, stepVersion, null));
                continue;
            }
            StringBuilder json = new StringBuilder("{");
            json.append("\"at\":").append(T0 + random.nextInt(300_000));
            if (random.nextInt(20) > 0) {
                json.append(",\"status\":\"").append(pick(random, STATUSES)).append('"');
            }
            json.append(",\"region\":\"").append(pick(random, REGIONS)).append('"');
            if (random.nextInt(8) > 0) {
                json.append(",\"amount\":\"").append(pick(random, AMOUNTS)).append('"');
            }
            steps.add(new Step(id, stepVersion, json.append('}').toString()));
        }
        return steps;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** What Redis holds after the steps: stale reads change nothing. */
    private static Map<String, String> currentRecords(List<Step> steps) {
        Map<String, String> current = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        for (Step step : steps) {
            Long last = versions.get(step.id);
            if (last != null && step.version <= last) {
                continue;
            }
            versions.put(step.id, step.version);
            if (step.json == null) {
                current.remove(step.id);
            } else {
                current.put(step.id, step.json);
            }
        }
        return current;
    }

    /**
     * The rollup documents computed from scratch, as the Elasticsearch aggregations define them.
     */
    private static Map<String, Map<String, String>> aggregate(
            RollupSpec spec, Map<String, String> records) {
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        for (String json : records.values()) {
            JsonNode doc = RollupHarness.parse(json.getBytes(StandardCharsets.UTF_8));
            long start =
                    Math.floorDiv(doc.get("at").asLong(), spec.windowMillis())
                            * spec.windowMillis();
            StringBuilder id = new StringBuilder(spec.name()).append('|').append(start);
            boolean grouped = true;
            for (String field : spec.groupBy()) {
                grouped &= doc.hasNonNull(field);
                id.append('|').append(doc.path(field).asText());
            }
            if (grouped) {
                groups.computeIfAbsent(id.toString(), k -> new ArrayList<>()).add(doc);
            }
        }
        Map<String, Map<String, String>> documents = new TreeMap<>();
        groups.forEach(
                (id, docs) -> {
                    JsonNode first = docs.get(0);
                    long start = Long.parseLong(id.split("\\|")[1]);
                    Map<String, String> expected = new TreeMap<>();
                    expected.put("rollup", spec.name());
                    expected.put("window_start", Instant.ofEpochMilli(start).toString());
                    expected.put(
                            "window_end",
                            Instant.ofEpochMilli(start + spec.windowMillis()).toString());
                    spec.groupBy().forEach(f -> expected.put(f, first.get(f).asText()));
                    expected.put("count", String.valueOf(docs.size()));
                    for (RollupMetric metric : spec.metrics()) {
                        if (metric.field() != null) {
                            expected.put(metric.outputName(), metric(metric, docs));
                        }
                    }
                    documents.put(id, expected);
                });
        return documents;
    }

    private static String metric(RollupMetric metric, List<JsonNode> docs) {
        List<BigDecimal> values = new ArrayList<>();
        for (JsonNode doc : docs) {
            if (doc.hasNonNull(metric.field())) {
                values.add(new BigDecimal(doc.get(metric.field()).asText()));
            }
        }
        BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        switch (metric.kind()) {
            case COUNT:
                return String.valueOf(values.size());
            case SUM:
                return plain(sum);
            case AVG:
                return values.isEmpty()
                        ? "null"
                        : plain(
                                sum.divide(
                                        BigDecimal.valueOf(values.size()), MathContext.DECIMAL64));
            case MIN:
                return values.stream()
                        .min(BigDecimal::compareTo)
                        .map(RollupWorkloadTest::plain)
                        .orElse("null");
            case MAX:
                return values.stream()
                        .max(BigDecimal::compareTo)
                        .map(RollupWorkloadTest::plain)
                        .orElse("null");
            default:
                throw new IllegalArgumentException(metric.toString());
        }
    }

    private static Map<String, String> canonical(JsonNode doc) {
        Map<String, String> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            fields.put(
                    field.getKey(),
                    value.isNumber()
                            ? plain(value.decimalValue())
                            : value.isNull() ? "null" : value.asText());
        }
        return fields;
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }
}
