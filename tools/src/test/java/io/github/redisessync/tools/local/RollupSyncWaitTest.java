package io.github.redisessync.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.report.RollupComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** local --until-synced's wait for the rollups, with comparisons scripted by the test. */
class RollupSyncWaitTest {
    private static final RollupSpec CITIES =
            RollupSpec.builder("users_by_city").sourceIndex("users").groupBy("city").build();
    private static final RollupSpec MINUTES =
            RollupSpec.builder("orders_per_minute")
                    .sourceIndex("orders")
                    .timeField("created_at")
                    .window(Duration.ofMinutes(1))
                    .build();

    private final StringWriter out = new StringWriter();

    @Test
    void waitsUntilEveryRollupEqualsTheAggregationAndSaysWhatItWaitedFor() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // The minutes differ for the first two rounds (a refresh not yet visible), then agree.
        RollupSyncWait wait =
                new RollupSyncWait(
                        List.of(CITIES, MINUTES),
                        rollup -> {
                            int call = calls.incrementAndGet();
                            if (rollup == CITIES) {
                                return new RollupComparison.Outcome(rollup, 12, 0);
                            }
                            if (call == 2) {
                                throw new IOException("connection reset");
                            }
                            return new RollupComparison.Outcome(rollup, 599, call < 6 ? 376 : 0);
                        },
                        Duration.ofSeconds(10),
                        Duration.ofMillis(10));

        assertThat(wait.await(new PrintWriter(out, true))).isTrue();
        assertThat(calls).hasValue(6);
        assertThat(out.toString())
                .matches(
                        "rollups: 12 \\+ 599 rows \\(users_by_city \\+ orders_per_minute\\) equal"
                                + " the live aggregation, checked in \\d+\\.\\d s \\(3 comparisons\\)\\R");
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheRollupThatDiffers() throws Exception {
        RollupSyncWait wait =
                new RollupSyncWait(
                        List.of(CITIES, MINUTES),
                        rollup ->
                                new RollupComparison.Outcome(
                                        rollup,
                                        rollup == CITIES ? 12 : 599,
                                        rollup == CITIES ? 0 : 3),
                        Duration.ofMillis(200),
                        Duration.ofMillis(20));
        long t0 = System.nanoTime();

        assertThat(wait.await(new PrintWriter(out, true))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(Duration.ofMillis(150))
                .isLessThan(Duration.ofSeconds(5));
        assertThat(out.toString())
                .isEqualTo(
                        "ERROR: after 0.2 s, 3 of 599 rows of rollup orders_per_minute"
                                + " (rollup-orders_per_minute) still differ from the live"
                                + " aggregation; 'report --compare' shows them."
                                + System.lineSeparator());
    }

    @Test
    void anElasticsearchThatCannotBeReadUntilTheTimeoutIsNamed() throws Exception {
        RollupSyncWait wait =
                new RollupSyncWait(
                        List.of(CITIES),
                        rollup -> {
                            throw new IOException("POST /rollup-users_by_city/_refresh failed");
                        },
                        Duration.ofMillis(100),
                        Duration.ofMillis(10));

        assertThat(wait.await(new PrintWriter(out, true))).isFalse();
        assertThat(out.toString())
                .startsWith(
                        "ERROR: the rollups could not be compared with the live aggregation"
                                + " within 0.1 s: POST /rollup-users_by_city/_refresh failed");
    }
}
