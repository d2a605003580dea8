package io.github.redisessync.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parts of the progress line: the snapshot's share and ETA, the tail's lag, a stall. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProgressReporterTest {

    @Test
    void noEtaWhileNoKeyIsRead() {
        assertThat(ProgressReporter.share(0, 20_000, 0, 0)).isEqualTo(" of ~20000 (0%)");
        // Keys were read earlier, none since the last line: no time can be promised.
        assertThat(ProgressReporter.share(5_000, 20_000, 0, 1_000)).isEqualTo(" of ~20000 (25%)");
    }

    @Test
    void anEtaFromTheOverallRateWhileKeysAreRead() {
        assertThat(ProgressReporter.share(5_000, 20_000, 800, 1_000))
                .isEqualTo(" of ~20000 (25%, ETA 15 s)");
        assertThat(ProgressReporter.share(20_000, 20_000, 800, 1_000)).isEmpty();
        assertThat(ProgressReporter.share(5_000, 0, 800, 1_000)).isEmpty();
    }

    @Test
    void theLineEndsWithTheTailsLagAndStalledWithWhy() {
        assertThat(ProgressReporter.status(0, List.of())).isEmpty();
        assertThat(ProgressReporter.status(1.25, List.of()))
                .isEqualTo(", oldest pending change 1.3 s");
        assertThat(
                        ProgressReporter.status(
                                0,
                                List.of(
                                        "no checkpoint completed for 31 s",
                                        "tail t unsubscribed for 6 s")))
                .isEqualTo(
                        ", stalled (no checkpoint completed for 31 s; tail t unsubscribed for"
                                + " 6 s)");
    }
}
