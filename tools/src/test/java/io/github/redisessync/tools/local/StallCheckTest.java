package io.github.redisessync.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When {@code local} calls the sync stalled, on times the test passes in. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StallCheckTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Map<String, Boolean> SUBSCRIBED = Map.of("tail:a", true);

    private final StallCheck check = new StallCheck(INTERVAL, true, at(0));

    @Test
    void threeCheckpointIntervalsWithoutACompletedCheckpointAreAStall() {
        assertThat(check.check(readings(5.0, SUBSCRIBED), at(5))).isEmpty();
        assertThat(check.check(readings(29.9, SUBSCRIBED), at(40))).isEmpty();
        assertThat(check.check(readings(30.0, SUBSCRIBED), at(41)))
                .containsExactly(
                        "no checkpoint completed for 30 s (limit: 3 checkpoint intervals, 30 s)");
        // A checkpoint completes: the stall is over.
        assertThat(check.check(readings(0.5, SUBSCRIBED), at(43))).isEmpty();
    }

    @Test
    void timeWithoutReadersCountsOnFromTheStartOrTheLastValueSeen() {
        // No reader registered yet (the job is starting): the start is what counts.
        assertThat(check.check(readings(null, Map.of()), at(29))).isEmpty();
        assertThat(check.check(readings(null, Map.of()), at(31))).hasSize(1);
        assertThat(check.check(readings(2.0, SUBSCRIBED), at(32))).isEmpty();
        // The readers are gone (the job restarts): the last checkpoint seen was at 30 s.
        assertThat(check.check(readings(null, Map.of()), at(59))).isEmpty();
        assertThat(check.check(readings(null, Map.of()), at(60)))
                .containsExactly(
                        "no checkpoint completed for 30 s (limit: 3 checkpoint intervals, 30 s)");
    }

    @Test
    void aTailUnsubscribedForLongerThanTheGraceIsAStallAndAResubscribeEndsIt() {
        Map<String, Boolean> lost = Map.of("tail:a", false, "tail:b", true);
        assertThat(check.check(readings(1.0, lost), at(10))).isEmpty();
        assertThat(check.check(readings(1.0, lost), at(14.9))).isEmpty();
        assertThat(check.check(readings(1.0, lost), at(15)))
                .containsExactly("tail tail:a unsubscribed for 5 s");

        // Resubscribed, then lost again: the grace starts over.
        assertThat(check.check(readings(1.0, SUBSCRIBED), at(16))).isEmpty();
        assertThat(check.check(readings(1.0, lost), at(17))).isEmpty();
        assertThat(check.check(readings(1.0, lost), at(21))).isEmpty();
        assertThat(check.check(readings(1.0, lost), at(22))).hasSize(1);
    }

    @Test
    void bothReasonsAreGivenAndABoundedRunsTailThatEndsIsNone() {
        Map<String, Boolean> lost = Map.of("tail:a", false);
        check.check(readings(25.0, lost), at(30));
        assertThat(check.check(readings(35.0, lost), at(40)))
                .containsExactly(
                        "no checkpoint completed for 35 s (limit: 3 checkpoint intervals, 30 s)",
                        "tail tail:a unsubscribed for 10 s");

        StallCheck untilSynced = new StallCheck(INTERVAL, false, at(0));
        untilSynced.check(readings(1.0, lost), at(1));
        assertThat(untilSynced.check(readings(1.0, lost), at(20))).isEmpty();
    }

    @Test
    void aBoundedRunWhoseReadersFinishedHasNoCheckpointToWatch() {
        StallCheck untilSynced = new StallCheck(INTERVAL, false, at(0));
        assertThat(untilSynced.check(readings(35.0, SUBSCRIBED), at(36))).hasSize(1);
        assertThat(untilSynced.check(readings(2.0, SUBSCRIBED), at(40))).isEmpty();
        // The snapshot is read: the readers, and their gauges, are gone.
        assertThat(untilSynced.check(readings(null, Map.of()), at(100))).isEmpty();
    }

    private static LivenessGauges.Readings readings(Double since, Map<String, Boolean> tails) {
        return new LivenessGauges.Readings(since, tails, 0);
    }

    /** A time {@code seconds} after an arbitrary origin, as System.nanoTime() would give. */
    private static long at(double seconds) {
        return 123_000_000_000L + (long) (seconds * 1e9);
    }
}
