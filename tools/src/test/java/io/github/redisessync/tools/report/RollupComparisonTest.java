package io.github.redisessync.tools.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.rollup.RollupMetric;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.client.RollupRow;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows matched by window and groups, as report --compare matches them, counted not printed. */
class RollupComparisonTest {
    private static final RollupSpec CITIES =
            RollupSpec.builder("users_by_city")
                    .sourceIndex("users")
                    .groupBy("city")
                    .metric(RollupMetric.parse("avg(age)"))
                    .build();

    private static RollupRow row(String city, long count, String avg) {
        return new RollupRow(
                0,
                List.of(city),
                Map.of("count", BigDecimal.valueOf(count), "avg_age", new BigDecimal(avg)));
    }

    @Test
    void equalRowsInAnyOrderAreEqual() {
        RollupComparison.Outcome outcome =
                RollupComparison.compare(
                        CITIES,
                        List.of(row("Kraków", 3, "41.5"), row("Lyon", 1, "20")),
                        List.of(row("Lyon", 1, "20.0000000000001"), row("Kraków", 3, "41.5")));
        assertThat(outcome.rows()).isEqualTo(2);
        assertThat(outcome.equal()).isTrue();
    }

    @Test
    void aRowOnOneSideOnlyOrWithAnotherCountDiffers() {
        RollupComparison.Outcome outcome =
                RollupComparison.compare(
                        CITIES,
                        List.of(row("Kraków", 3, "41.5"), row("Lyon", 1, "20")),
                        List.of(
                                row("Kraków", 4, "41.5"),
                                row("Lyon", 1, "20"),
                                row("Oslo", 1, "9")));
        assertThat(outcome.rows()).isEqualTo(3);
        assertThat(outcome.differing()).isEqualTo(2);
        assertThat(outcome.equal()).isFalse();
    }
}
