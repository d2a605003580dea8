package io.github.redisessync.job.mapping;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date formats of a {@code date} field, as Elasticsearch names them ({@code
 * strict_date_optional_time||epoch_millis}, the default) or as Java patterns ({@code yyyy/MM/dd}),
 * so that a date Elasticsearch would refuse is a dead letter instead of a failed bulk item.
 */
final class DateFormats implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String DEFAULT = "strict_date_optional_time||epoch_millis";

    private static final Pattern ISO =
            Pattern.compile(
                    "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})"
                            + "(?:[.,]\\d{1,9})?)?)?(Z|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?");
    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,19}(\\.\\d{1,9})?");

    private final String text;
    private final List<String> formats;

    private DateFormats(String text, List<String> formats) {
        this.text = text;
        this.formats = formats;
    }

    /** Parses {@code a||b}; an unknown name that is not a valid Java pattern is refused. */
    static DateFormats of(String text) {
        String spec = text == null || text.isBlank() ? DEFAULT : text;
        List<String> formats = new ArrayList<>();
        for (String format : spec.split("\\|\\|")) {
            String f = format.trim();
            if (!isNamed(f)) {
                try {
                    DateTimeFormatter.ofPattern(f, Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "Date format '"
                                    + f
                                    + "' is neither a format Elasticsearch names"
                                    + " (strict_date_optional_time, date_optional_time,"
                                    + " strict_date, epoch_millis, epoch_second) nor a valid"
                                    + " Java date pattern: "
                                    + e.getMessage());
                }
            }
            formats.add(f);
        }
        return new DateFormats(spec, List.copyOf(formats));
    }

    /** True when {@code value} reads as a date in one of the formats. */
    boolean accepts(String value) {
        for (String format : formats) {
            if (accepts(format, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNamed(String format) {
        switch (format) {
            case "strict_date_optional_time":
            case "date_optional_time":
            case "strict_date":
            case "date":
            case "epoch_millis":
            case "epoch_second":
                return true;
            default:
                return false;
        }
    }

    private static boolean accepts(String format, String value) {
        switch (format) {
            case "epoch_millis":
            case "epoch_second":
                return EPOCH.matcher(value).matches();
            case "strict_date":
            case "date":
                return isoDate(value, true);
            case "strict_date_optional_time":
            case "date_optional_time":
                return isoDate(value, false);
            default:
                try {
                    // Strict, so 2024-02-30 is refused rather than moved to the 29th; strict
                    // year-of-era needs an era, so years are read as proleptic years (u).
                    DateTimeFormatter.ofPattern(prolepticYears(format), Locale.ROOT)
                            .withResolverStyle(ResolverStyle.STRICT)
                            .parse(value);
                    return true;
                } catch (DateTimeException e) {
                    return false;
                }
        }
    }

    private static String prolepticYears(String pattern) {
        StringBuilder sb = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            quoted ^= c == '\'';
            sb.append(!quoted && c == 'y' ? 'u' : c);
        }
        return sb.toString();
    }

    /** An ISO-8601 date, optionally with a time, whose fields are in range (no 2024-13-40). */
    private static boolean isoDate(String value, boolean dateOnly) {
        Matcher m = ISO.matcher(value);
        if (!m.matches() || (dateOnly && (m.group(3) == null || m.group(4) != null))) {
            return false;
        }
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(3) != null) {
                LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            } else if (m.group(2) != null) {
                YearMonth.of(year, Integer.parseInt(m.group(2)));
            }
            return inRange(m.group(4), 23) && inRange(m.group(5), 59) && inRange(m.group(6), 59);
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean inRange(String digits, int max) {
        return digits == null || Integer.parseInt(digits) <= max;
    }

    @Override
    public String toString() {
        return text;
    }
}
