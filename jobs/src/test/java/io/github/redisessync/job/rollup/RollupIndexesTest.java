package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rollup index's mapping: made from the spec, or a mapping file checked against the spec. */
class RollupIndexesTest {
    private static final String FILE = "conf/mappings/rollup-orders_per_minute.json";

    private static RollupSpec.Builder ordersPerMinute() {
        return RollupSpec.builder("orders_per_minute")
                .sourceIndex("orders")
                .timeField("created_at")
                .window(Duration.ofMinutes(1))
                .groupBy("status")
                .metric(RollupMetric.count())
                .metric(RollupMetric.parse("sum(amount)"))
                .metric(RollupMetric.parse("count(amount)"));
    }

    private static IndexDefinition file(String properties) {
        return IndexDefinition.parse(
                "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
                        + "\"mappings\":{\"dynamic\":\"strict\",\"properties\":{"
                        + properties
                        + "}}}",
                FILE);
    }

    private static final String FITTING =
            "\"rollup\":{\"type\":\"keyword\"},"
                    + "\"window_start\":{\"type\":\"date\"},"
                    + "\"window_end\":{\"type\":\"date_nanos\"},"
                    + "\"status\":{\"type\":\"keyword\",\"ignore_above\":64},"
                    + "\"count\":{\"type\":\"integer\"},"
                    + "\"sum_amount\":{\"type\":\"scaled_float\",\"scaling_factor\":100},"
                    + "\"count_amount\":{\"type\":\"long\"},"
                    + "\"note\":{\"type\":\"text\"}";

    @Test
    void theGeneratedMappingFitsWhatTheRollupWrites() {
        RollupSpec spec = ordersPerMinute().build();
        IndexDefinition generated = RollupIndexes.definition(spec);
        assertThat(generated.fieldTypes())
                .containsEntry("rollup", "keyword")
                .containsEntry("window_start", "date")
                .containsEntry("status", "keyword")
                .containsEntry("count", "long")
                .containsEntry("sum_amount", "double")
                .containsEntry("count_amount", "long");
        assertThat(RollupIndexes.incompatibilities(spec, generated)).isEmpty();
    }

    @Test
    void aFileDeclaringEveryWrittenFieldWithAFittingTypeIsTheIndexDefinition() {
        IndexDefinition definition = file(FITTING);
        RollupSpec spec = ordersPerMinute().indexDefinition(definition).build();
        assertThat(RollupIndexes.incompatibilities(spec, definition)).isEmpty();
        assertThat(RollupIndexes.definition(spec)).isSameAs(definition);
        assertThat(RollupIndexes.definition(spec).body()).contains("\"number_of_shards\":2");
    }

    @Test
    void aRunningTotalNeedsNoWindowFields() {
        RollupSpec totals =
                RollupSpec.builder("users_by_city")
                        .sourceIndex("users")
                        .groupBy("city")
                        .metric(RollupMetric.parse("avg(age)"))
                        .build();
        IndexDefinition definition =
                file(
                        "\"rollup\":{\"type\":\"keyword\"},\"city\":{\"type\":\"keyword\"},"
                                + "\"count\":{\"type\":\"long\"},\"avg_age\":{\"type\":\"float\"}");
        assertThat(RollupIndexes.incompatibilities(totals, definition)).isEmpty();
    }

    @Test
    void eachFieldThatDoesNotFitIsNamedWithTheFile() {
        IndexDefinition definition =
                file(
                        FITTING.replace(
                                        "\"window_start\":{\"type\":\"date\"}",
                                        "\"window_start\":{\"type\":\"keyword\"}")
                                .replace("\"status\":{\"type\":\"keyword\",", "\"status\":{")
                                .replace("\"type\":\"scaled_float\"", "\"type\":\"keyword\"")
                                .replace("\"count_amount\":{\"type\":\"long\"},", ""));
        assertThat(RollupIndexes.incompatibilities(ordersPerMinute().build(), definition))
                .containsExactly(
                        "Mapping file "
                                + FILE
                                + ": field 'window_start' is mapped as keyword, but rollup"
                                + " orders_per_minute writes a date: expected one of date,"
                                + " date_nanos.",
                        "Mapping file "
                                + FILE
                                + ": field 'status' is mapped as object, but rollup"
                                + " orders_per_minute groups by it and writes its values as text:"
                                + " expected keyword.",
                        "Mapping file "
                                + FILE
                                + ": field 'sum_amount' is mapped as keyword, but rollup"
                                + " orders_per_minute writes sum(amount) there: expected one of"
                                + " long, integer, short, byte, double, float, half_float,"
                                + " scaled_float, unsigned_long.",
                        "Mapping file "
                                + FILE
                                + ": mappings.properties declares no field 'count_amount', but"
                                + " rollup orders_per_minute writes count(amount) there: declare"
                                + " it as one of long, integer, short, byte, double, float,"
                                + " half_float, scaled_float, unsigned_long.");
    }

    @Test
    void aFileWithoutPropertiesOrWithoutSourceDoesNotFit() {
        RollupSpec spec = ordersPerMinute().build();
        IndexDefinition settingsOnly =
                IndexDefinition.parse("{\"settings\":{\"number_of_replicas\":1}}", FILE);
        assertThat(RollupIndexes.incompatibilities(spec, settingsOnly))
                .hasSize(7)
                .allSatisfy(p -> assertThat(p).contains("declares no field"));
        IndexDefinition noSource =
                IndexDefinition.parse(
                        "{\"mappings\":{\"_source\":{\"enabled\":false},\"properties\":{"
                                + FITTING
                                + "}}}",
                        FILE);
        assertThat(RollupIndexes.incompatibilities(spec, noSource))
                .containsExactly(
                        "Mapping file "
                                + FILE
                                + ": mappings._source is disabled, but report (--compare) reads the"
                                + " rollup documents from _source.");
    }

    @Test
    void theBuilderRefusesADefinitionThatDoesNotFit() {
        IndexDefinition definition =
                file(FITTING.replace("\"count\":{\"type\":\"integer\"}", "\"count\":{}"));
        assertThatThrownBy(() -> ordersPerMinute().indexDefinition(definition).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Mapping file "
                                + FILE
                                + ": field 'count' is mapped as object, but rollup"
                                + " orders_per_minute counts there: expected one of long,"
                                + " integer, short, byte, double, float, half_float,"
                                + " scaled_float, unsigned_long.");
    }
}
