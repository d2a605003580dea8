package io.github.redisessync.job.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.util.TimeUtils;

/** Checks of single values, with messages that say what was expected. */
public final class Values {
    private static final String INDEX_NAME = "[a-z0-9][a-z0-9_.+-]*";

    private Values() {}

    static Duration duration(String text) {
        try {
            return TimeUtils.parseDuration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "expected a duration such as 500ms, 10s, 5min or 1h, was '" + text + "'.");
        }
    }

    static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("expected a positive duration, was '" + text + "'.");
        }
        return d;
    }

    /**
     * A directory as a URI Flink's file systems take: {@code s3://bucket/path} or {@code
     * file:///path} as written, a plain path made absolute against the working directory.
     */
    static String directoryUri(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a directory, was empty.");
        }
        if (text.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
            try {
                return new URI(text).toString();
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a valid URI: " + e.getReason() + ".");
            }
        }
        return Path.of(text).toAbsolutePath().normalize().toUri().toString();
    }

    public static String indexName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("expected an index name, was empty.");
        }
        if (!name.matches(INDEX_NAME) || name.length() > 255) {
            throw new IllegalArgumentException(
                    "'"
                            + name
                            + "' is not a valid Elasticsearch index name: expected lowercase"
                            + " letters, digits and _ . + -, not starting with _ . + -.");
        }
        return name;
    }

    /** One of {@code choices}, case-insensitive; null gives {@code fallback}. */
    public static String oneOf(String value, String fallback, List<String> choices) {
        if (value == null) {
            return fallback;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
            throw new IllegalArgumentException(
                    "expected one of " + String.join(", ", choices) + ", was '" + value + "'.");
        }
        return lower;
    }
}
