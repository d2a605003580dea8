package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RollupSpecTest {

    @Test
    void buildsWithDefaultsAndDerivesTheMetricFields() throws Exception {
        RollupSpec spec =
                RollupSpec.builder("orders")
                        .sourceIndex("orders")
                        .timeField("at")
                        .window(Duration.ofMinutes(1))
                        .groupBy("status")
                        .metric(RollupMetric.parse("sum(amount)"))
                        .metric(RollupMetric.parse(" max( amount ) "))
                        .metric(RollupMetric.parse("avg(qty)"))
                        .build();
        assertThat(spec.targetIndex()).isEqualTo("rollup-orders");
        assertThat(spec.windowMillis()).isEqualTo(60_000);
        assertThat(spec.allowedLatenessMillis()).isZero();
        assertThat(spec.metricFields()).containsExactly("amount", "qty");
        assertThat(spec.needsExtremes(0)).isTrue();
        assertThat(spec.needsExtremes(1)).isFalse();
        assertThat(spec.metrics())
                .extracting(RollupMetric::outputName)
                .containsExactly("sum_amount", "max_amount", "avg_qty");
        RollupSpec copy = InstantiationUtil.clone(spec);
        assertThat(copy.metricFields()).isEqualTo(spec.metricFields());
    }

    @Test
    void readsByIndexOrByKeyPattern() {
        DocumentAction order = DocumentAction.delete("orders", "1", 1, "order:1");
        assertThat(RollupSpec.builder("a").sourceIndex("orders").build().reads(order)).isTrue();
        assertThat(RollupSpec.builder("a").sourceIndex("users").build().reads(order)).isFalse();
        assertThat(RollupSpec.builder("a").sourceKeyPattern("order:*").build().reads(order))
                .isTrue();
        assertThat(RollupSpec.builder("a").sourceKeyPattern("user:*").build().reads(order))
                .isFalse();
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> RollupSpec.builder("Orders"))
                .hasMessageContaining("Rollup name 'Orders' is not valid");
        assertThatThrownBy(() -> RollupSpec.builder("a|b"))
                .hasMessageContaining("Rollup name 'a|b'");
        assertThatThrownBy(() -> RollupSpec.builder("o").window(Duration.ZERO))
                .hasMessage("Rollup 'o': window must be positive, was PT0S.");
        assertThatThrownBy(() -> RollupSpec.builder("o").window(Duration.ofNanos(1500)))
                .hasMessageContaining("window must be whole milliseconds");
        assertThatThrownBy(() -> RollupSpec.builder("o").allowedLateness(Duration.ofSeconds(-1)))
                .hasMessageContaining("allowed lateness must be zero or positive, was PT-1S");
        assertThatThrownBy(() -> RollupSpec.builder("o").groupBy("a.b"))
                .hasMessageContaining("group-by field 'a.b' is not a top-level document field");
        assertThatThrownBy(() -> RollupSpec.builder("o").groupBy("a", "a"))
                .hasMessageContaining("group-by field 'a' is named twice");
        assertThatThrownBy(() -> RollupSpec.builder("o").timeField("_ts"))
                .hasMessageContaining("time field '_ts'");
        assertThatThrownBy(() -> RollupSpec.builder("o").targetIndex("Rollups"))
                .hasMessageContaining("target index 'Rollups' is not a valid Elasticsearch index");
        assertThatThrownBy(() -> RollupSpec.builder("o").build())
                .hasMessage("Rollup 'o' needs exactly one of source index and source key pattern.");
        assertThatThrownBy(
                        () ->
                                RollupSpec.builder("o")
                                        .sourceIndex("x")
                                        .allowedLateness(Duration.ofMinutes(1))
                                        .build())
                .hasMessageContaining("allowed lateness needs a window");
        assertThatThrownBy(() -> RollupSpec.builder("o").sourceIndex("x").groupBy("count").build())
                .hasMessageContaining("group-by field 'count' would overwrite");
        assertThatThrownBy(
                        () ->
                                RollupSpec.builder("o")
                                        .sourceIndex("x")
                                        .groupBy("sum_a")
                                        .metric(RollupMetric.parse("sum(a)"))
                                        .build())
                .hasMessageContaining("metric sum(a) would overwrite field 'sum_a'");
        assertThatThrownBy(() -> RollupMetric.parse("median(a)"))
                .hasMessageContaining("Metric 'median(a)' is not one of");
        assertThatThrownBy(() -> RollupMetric.parse("sum()"))
                .hasMessageContaining("A sum metric needs a field name.");
        RollupSpec one = RollupSpec.builder("o").sourceIndex("x").build();
        assertThatThrownBy(() -> new RollupSpecs(List.of(one, one)))
                .hasMessageContaining("Rollup name 'o' is used twice");
    }

    @Test
    void stateAndExchangeTypesAreFlinkPojosNotKryo() {
        for (Class<?> type :
                List.of(RollupContribution.class, RollupDelta.class, RollupAggregate.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
            for (int i = 0; i < pojo.getArity(); i++) {
                assertThat(pojo.getTypeAt(i))
                        .as("%s.%s", type.getSimpleName(), pojo.getPojoFieldAt(i).getField())
                        .isNotInstanceOf(GenericTypeInfo.class);
            }
        }
    }
}
