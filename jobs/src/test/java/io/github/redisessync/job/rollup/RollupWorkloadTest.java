package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
            Map<String, Map<String, String>> expected = new TreeMap<>();
            for (RollupSpec spec : SPECS) {
                expected.putAll(aggregate(spec, current));
            }
            Map<String, Map<String, String>> actual = new TreeMap<>();
            harness.rollupIndex().forEach((id, doc) -> actual.put(id, canonical(doc)));
            assertThat(actual).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void aRunRestoredFromCheckpointsWritesTheSameActions(long seed) throws Exception {
        List<Step> steps = workload(seed);
        try (RollupHarness straight = new RollupHarness(SPECS);
                RollupHarness restored = new RollupHarness(SPECS)) {
            run(straight, steps, 0);
            run(restored, steps, 37);
            assertThat(restored.written()).isNotEmpty().isEqualTo(straight.written());
        }
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
