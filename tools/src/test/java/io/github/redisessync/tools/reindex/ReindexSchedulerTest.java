package io.github.redisessync.tools.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReindexSchedulerTest {

    /** A clock the test moves: sleeping moves it to the wake-up time, a run moves it on. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void runsOnEachFireTimeOneAtATimeAndSkipsTimesMissedDuringALongRun() throws Exception {
        ManualClock clock = new ManualClock();
        List<ZonedDateTime> started = new ArrayList<>();
        ReindexScheduler scheduler =
                new ReindexScheduler(
                        CronSchedule.parse("0 * * * *")::next,
                        "hourly",
                        clock,
                        when -> clock.now = when.toInstant());
        int[] running = {0};
        scheduler.loop(
                () -> {
                    running[0]++;
                    assertThat(running[0]).as("runs at once").isEqualTo(1);
                    started.add(ZonedDateTime.now(clock));
                    // The second run takes 2.5 h: the fire times at 12:00 and 13:00 pass.
                    Duration took =
                            started.size() == 2 ? Duration.ofMinutes(150) : Duration.ofMinutes(5);
                    clock.now = clock.now.plus(took);
                    running[0]--;
                    if (started.size() == 1) {
                        throw new IllegalStateException("a failed run is logged, not fatal");
                    }
                    return "ok";
                },
                3);
        assertThat(started)
                .extracting(t -> t.toLocalTime().toString())
                .containsExactly("11:00", "12:00", "15:00");
    }
}
