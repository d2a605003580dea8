package io.github.redisessync.job.rollup;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * One metric of a rollup: {@code count} (documents in the group), or count, sum, avg, min or max
 * over a named numeric field, written to the rollup document as {@code <kind>_<field>}.
 */
public final class RollupMetric implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What is computed; each matches the Elasticsearch aggregation of the same name. */
    public enum Kind {
        /** Documents in the group ({@code doc_count}), or with a value of the field. */
        COUNT,
        SUM,
        AVG,
        MIN,
        MAX
    }

    private final Kind kind;
    private final String field;

    private RollupMetric(Kind kind, String field) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
    }

    /** The number of documents in the group, written as {@code count}. */
    public static RollupMetric count() {
        return new RollupMetric(Kind.COUNT, null);
    }

    /** {@code kind} over the numeric {@code field}, written as {@code <kind>_<field>}. */
    public static RollupMetric of(Kind kind, String field) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException(
                    "A " + kind.name().toLowerCase(Locale.ROOT) + " metric needs a field name.");
        }
        return new RollupMetric(kind, field);
    }

    /**
     * Parses {@code count}, {@code count(f)}, {@code sum(f)}, {@code avg(f)}, {@code min(f)} or
     * {@code max(f)}, the form the configuration file uses.
     */
    public static RollupMetric parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("count")) {
            return count();
        }
        int open = trimmed.indexOf('(');
        if (open > 0 && trimmed.endsWith(")")) {
            String name = trimmed.substring(0, open).trim().toUpperCase(Locale.ROOT);
            String field = trimmed.substring(open + 1, trimmed.length() - 1).trim();
            for (Kind kind : Kind.values()) {
                if (kind.name().equals(name)) {
                    return of(kind, field);
                }
            }
        }
        throw new IllegalArgumentException(
                "Metric '"
                        + text
                        + "' is not one of count, count(field), sum(field), avg(field),"
                        + " min(field), max(field).");
    }

    public Kind kind() {
        return kind;
    }

    /** The numeric field, or null for the document count. */
    public String field() {
        return field;
    }

    /** The field of the rollup document that holds this metric. */
    public String outputName() {
        return field == null ? "count" : kind.name().toLowerCase(Locale.ROOT) + "_" + field;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RollupMetric
                && ((RollupMetric) o).kind == kind
                && Objects.equals(((RollupMetric) o).field, field);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, field);
    }

    @Override
    public String toString() {
        return field == null ? "count" : kind.name().toLowerCase(Locale.ROOT) + "(" + field + ")";
    }
}
