package io.github.redisessync.tools.reindex;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) as crontab
 * reads it: numbers, {@code *}, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, lists
 * {@code ,}; day-of-week 0 or 7 is Sunday; when both day fields are restricted, either may match.
 *
 * <pre>{@code
 * CronSchedule.parse("30 3 * * *").next(now)   // the next 03:30
 * }</pre>
 */
public final class CronSchedule {
    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDay;
    private final boolean anyWeekday;

    private CronSchedule(String expression, String[] f) {
        this.expression = expression;
        this.minutes = field("minute", f[0], 0, 59);
        this.hours = field("hour", f[1], 0, 23);
        this.days = field("day of month", f[2], 1, 31);
        this.months = field("month", f[3], 1, 12);
        BitSet weekdays = field("day of week", f[4], 0, 7);
        if (weekdays.get(7)) {
            weekdays.set(0);
        }
        this.weekdays = weekdays;
        this.anyDay = f[2].startsWith("*");
        this.anyWeekday = f[4].startsWith("*");
    }

    /** Parses {@code expression}; an error names the field and the value. */
    public static CronSchedule parse(String expression) {
        String[] fields = expression == null ? new String[0] : expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    "--schedule '"
                            + expression
                            + "' is not a five-field cron expression (minute hour day-of-month"
                            + " month day-of-week), e.g. '30 3 * * *'.");
        }
        return new CronSchedule(expression, fields);
    }

    /** The first minute strictly after {@code after} that the expression matches. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plus(Duration.ofDays(366 * 5));
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!dayMatches(t)) {
                t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!hours.get(t.getHour())) {
                t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t;
            }
        }
        throw new IllegalArgumentException("--schedule '" + expression + "' never matches.");
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean day = days.get(t.getDayOfMonth());
        DayOfWeek dow = t.getDayOfWeek();
        boolean weekday = weekdays.get(dow == DayOfWeek.SUNDAY ? 0 : dow.getValue());
        if (anyDay || anyWeekday) {
            return day && weekday;
        }
        return day || weekday;
    }

    private BitSet field(String name, String text, int min, int max) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(name, part.substring(slash + 1), 1, max);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(name, ends[0], min, max);
                to = number(name, ends[1], min, max);
            } else {
                from = number(name, range, min, max);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw invalid(name, part, min, max);
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private int number(String name, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw invalid(name, text, min, max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, text, min, max);
        }
    }

    private IllegalArgumentException invalid(String name, String text, int min, int max) {
        return new IllegalArgumentException(
                "--schedule '"
                        + expression
                        + "': the "
                        + name
                        + " field '"
                        + text
                        + "' is not a number from "
                        + min
                        + " to "
                        + max
                        + ", a range, a step or a list of them.");
    }

    @Override
    public String toString() {
        return expression;
    }
}
