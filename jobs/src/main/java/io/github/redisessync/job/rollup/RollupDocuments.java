package io.github.redisessync.job.rollup;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;

/**
 * Writes a rollup document: {@code rollup}, {@code window_start} and {@code window_end} (ISO-8601
 * UTC, so dynamic mapping makes them dates; absent for a running total), the group fields, {@code
 * count} and the metrics in their configured order.
 *
 * <p>Metrics follow the Elasticsearch aggregations: a sum over no values is 0; avg, min and max
 * over no values are null.
 */
final class RollupDocuments {
    private static final JsonFactory JSON =
            new JsonFactory().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private RollupDocuments() {}

    static byte[] write(RollupSpec spec, RollupAggregate aggregate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("rollup", spec.name());
            if (spec.isWindowed()) {
                json.writeStringField(
                        "window_start", Instant.ofEpochMilli(aggregate.windowStart).toString());
                json.writeStringField(
                        "window_end",
                        Instant.ofEpochMilli(aggregate.windowStart + spec.windowMillis())
                                .toString());
            }
            List<String> groupBy = spec.groupBy();
            for (int i = 0; i < groupBy.size(); i++) {
                json.writeStringField(groupBy.get(i), aggregate.groupValues[i]);
            }
            json.writeNumberField("count", aggregate.count);
            List<String> fields = spec.metricFields();
            for (RollupMetric metric : spec.metrics()) {
                if (metric.field() == null) {
                    continue; // the document count is always there
                }
                int i = fields.indexOf(metric.field());
                json.writeFieldName(metric.outputName());
                switch (metric.kind()) {
                    case COUNT:
                        json.writeNumber(aggregate.valueCounts[i]);
                        break;
                    case SUM:
                        json.writeNumber(aggregate.sums[i]);
                        break;
                    case AVG:
                        writeOrNull(
                                json,
                                aggregate.valueCounts[i] == 0
                                        ? null
                                        : aggregate.sums[i].divide(
                                                BigDecimal.valueOf(aggregate.valueCounts[i]),
                                                MathContext.DECIMAL64));
                        break;
                    case MIN:
                        writeOrNull(json, aggregate.mins[i]);
                        break;
                    case MAX:
                        writeOrNull(json, aggregate.maxes[i]);
                        break;
                    default:
                        throw new IllegalStateException("Unknown metric " + metric);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed for " + spec.name(), e);
        }
        return out.toByteArray();
    }

    private static void writeOrNull(JsonGenerator json, BigDecimal value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }
}
