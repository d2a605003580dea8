package io.github.redisessync.tools.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZonedDateTime WED_1030 =
            ZonedDateTime.of(2026, 11, 25, 10, 30, 20, 0, ZoneOffset.UTC);

    @Test
    void dailyAtAFixedTimeIsTodayOrTomorrow() {
        CronSchedule cron = CronSchedule.parse("30 3 * * *");
        assertThat(cron.next(WED_1030)).isEqualTo(at(26, 3, 30));
        assertThat(CronSchedule.parse("45 10 * * *").next(WED_1030)).isEqualTo(at(25, 10, 45));
    }

    @Test
    void nextIsStrictlyAfterTheGivenMinute() {
        assertThat(CronSchedule.parse("30 10 * * *").next(WED_1030)).isEqualTo(at(26, 10, 30));
        assertThat(CronSchedule.parse("* * * * *").next(WED_1030)).isEqualTo(at(25, 10, 31));
    }

    @Test
    void stepsRangesAndLists() {
        assertThat(CronSchedule.parse("0 */6 * * *").next(WED_1030)).isEqualTo(at(25, 12, 0));
        assertThat(CronSchedule.parse("15,45 9-11 * * *").next(WED_1030)).isEqualTo(at(25, 10, 45));
        assertThat(CronSchedule.parse("0 0-12/4 * * *").next(WED_1030)).isEqualTo(at(25, 12, 0));
    }

    @Test
    void dayOfWeekWithSundayAsZeroOrSeven() {
        // 2026-11-25 is a Wednesday; the next Sunday is the 29th.
        assertThat(CronSchedule.parse("0 2 * * 0").next(WED_1030)).isEqualTo(at(29, 2, 0));
        assertThat(CronSchedule.parse("0 2 * * 7").next(WED_1030)).isEqualTo(at(29, 2, 0));
        assertThat(CronSchedule.parse("0 2 * * 1-5").next(WED_1030)).isEqualTo(at(26, 2, 0));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEitherAsCrontabDoes() {
        // Day 1 of the month, or any Friday: Friday the 27th comes first.
        assertThat(CronSchedule.parse("0 0 1 * 5").next(WED_1030)).isEqualTo(at(27, 0, 0));
    }

    @Test
    void monthsRollOverTheYear() {
        assertThat(CronSchedule.parse("0 0 1 1 *").next(WED_1030))
                .isEqualTo(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void badExpressionsNameTheField() {
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * *"))
                .hasMessageContaining("five-field cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("61 3 * * *"))
                .hasMessageContaining("minute field '61'");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * * mon"))
                .hasMessageContaining("day of week field 'mon'");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 31 2 *").next(WED_1030))
                .hasMessageContaining("never matches");
    }

    private static ZonedDateTime at(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 11, day, hour, minute, 0, 0, ZoneOffset.UTC);
    }
}
