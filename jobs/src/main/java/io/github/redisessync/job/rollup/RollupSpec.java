package io.github.redisessync.job.rollup;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.job.mapping.KeyPattern;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one rollup computes: which documents it reads, how time puts them into tumbling windows (or
 * one running total), the fields it groups by, its metrics and how long a window stays open.
 *
 * <p>Example: orders per minute by status, with the count and the sum of amounts:
 *
 * <pre>{@code
 * RollupSpec.builder("orders_per_minute")
 *         .sourceIndex("orders")
 *         .targetIndex("order-rollups")
 *         .timeField("created_at")
 *         .window(Duration.ofMinutes(1))
 *         .groupBy("status")
 *         .metric(RollupMetric.of(RollupMetric.Kind.SUM, "amount"))
 *         .allowedLateness(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 */
public final class RollupSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fields every rollup document has; group fields and metrics must not reuse them. */
    static final Set<String> RESERVED_FIELDS = Set.of("rollup", "window_start", "window_end");

    private final String name;
    private final String sourceIndex;
    private final KeyPattern sourceKeyPattern;
    private final String targetIndex;
    private final String timeField;
    private final Duration window;
    private final List<String> groupBy;
    private final List<RollupMetric> metrics;
    private final Duration allowedLateness;
    private final IndexDefinition indexDefinition;
    private final List<String> metricFields;
    private final boolean[] extremeFields;

    private RollupSpec(Builder b) {
        this.name = b.name;
        this.sourceIndex = b.sourceIndex;
        this.sourceKeyPattern = b.sourceKeyPattern;
        this.targetIndex = b.targetIndex == null ? "rollup-" + b.name : b.targetIndex;
        this.timeField = b.timeField;
        this.window = b.window;
        this.groupBy = List.copyOf(b.groupBy);
        this.metrics = List.copyOf(b.metrics);
        this.allowedLateness = b.allowedLateness;
        this.indexDefinition = b.indexDefinition;
        List<String> fields = new ArrayList<>();
        for (RollupMetric metric : metrics) {
            if (metric.field() != null && !fields.contains(metric.field())) {
                fields.add(metric.field());
            }
        }
        this.metricFields = List.copyOf(fields);
        this.extremeFields = new boolean[fields.size()];
        for (RollupMetric metric : metrics) {
            if (metric.kind() == RollupMetric.Kind.MIN || metric.kind() == RollupMetric.Kind.MAX) {
                extremeFields[fields.indexOf(metric.field())] = true;
            }
        }
    }

    /** Starts a rollup named {@code name} (lowercase letters, digits, _ and -). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** True when {@code action} is a write of a document this rollup reads. */
    public boolean reads(DocumentAction action) {
        return sourceIndex != null
                ? sourceIndex.equals(action.getIndex())
                : action.getOrigin() != null && sourceKeyPattern.matches(action.getOrigin());
    }

    /** The index whose documents it reads, or null when it reads by key pattern. */
    public String sourceIndex() {
        return sourceIndex;
    }

    /** The glob of the keys whose documents it reads, or null when it reads an index. */
    public String sourceKeyGlob() {
        return sourceKeyPattern == null ? null : sourceKeyPattern.glob();
    }

    public String targetIndex() {
        return targetIndex;
    }

    /** The field holding the record's time, or null: the Redis read time (the version) is used. */
    public String timeField() {
        return timeField;
    }

    /** True for tumbling windows; false for one running total over all time. */
    public boolean isWindowed() {
        return window != null;
    }

    /** The window size in milliseconds; 0 for a running total. */
    public long windowMillis() {
        return window == null ? 0 : window.toMillis();
    }

    public List<String> groupBy() {
        return groupBy;
    }

    public List<RollupMetric> metrics() {
        return metrics;
    }

    public long allowedLatenessMillis() {
        return allowedLateness.toMillis();
    }

    /** The target index's definition from a mapping file, or null: made from this spec. */
    public IndexDefinition indexDefinition() {
        return indexDefinition;
    }

    /** The distinct numeric fields the metrics read, in the order the state arrays use. */
    List<String> metricFields() {
        return metricFields;
    }

    /** Whether metric field {@code i} needs min or max, and so a multiset of its values. */
    boolean needsExtremes(int i) {
        return extremeFields[i];
    }

    @Override
    public String toString() {
        return "rollup "
                + name
                + " of "
                + (sourceIndex != null ? "index " + sourceIndex : "keys " + sourceKeyPattern)
                + " by "
                + groupBy
                + " per "
                + (window == null ? "all time" : window)
                + " -> "
                + targetIndex;
    }

    /** Builds a {@link RollupSpec}; each setter checks its value, {@link #build()} the whole. */
    public static final class Builder {
        private final String name;
        private String sourceIndex;
        private KeyPattern sourceKeyPattern;
        private String targetIndex;
        private String timeField;
        private Duration window;
        private final List<String> groupBy = new ArrayList<>();
        private final List<RollupMetric> metrics = new ArrayList<>();
        private Duration allowedLateness = Duration.ZERO;
        private IndexDefinition indexDefinition;

        private Builder(String name) {
            if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,99}")) {
                throw new IllegalArgumentException(
                        "Rollup name '"
                                + name
                                + "' is not valid: it must be 1 to 100 lowercase letters, digits,"
                                + " _ or -, starting with a letter or digit, because it is part of"
                                + " every rollup document id.");
            }
            this.name = name;
        }

        /** Reads the documents written to {@code index}. */
        public Builder sourceIndex(String index) {
            checkIndexName("source index", index);
            this.sourceIndex = index;
            return this;
        }

        /** Reads the documents whose Redis key matches the glob {@code pattern}. */
        public Builder sourceKeyPattern(String pattern) {
            this.sourceKeyPattern = KeyPattern.of(pattern);
            return this;
        }

        /** Writes the rollup documents to {@code index} (default {@code rollup-<name>}). */
        public Builder targetIndex(String index) {
            checkIndexName("target index", index);
            this.targetIndex = index;
            return this;
        }

        /**
         * Takes each record's time from {@code field}: epoch milliseconds, or an ISO-8601 date or
         * date-time (UTC when it has no offset), as Elasticsearch's default date format reads it.
         */
        public Builder timeField(String field) {
            checkFieldName("time field", field);
            this.timeField = field;
            return this;
        }

        /**
         * Takes each record's time from the Redis server time of the read that produced it (its
         * version): processing time, but the same on a replay of the same read.
         */
        public Builder readTime() {
            this.timeField = null;
            return this;
        }

        /** Tumbling windows of {@code size}, aligned to the epoch in UTC. */
        public Builder window(Duration size) {
            if (size == null || size.isNegative() || size.isZero()) {
                throw new IllegalArgumentException(
                        "Rollup '" + name + "': window must be positive, was " + size + ".");
            }
            if (size.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException(
                        "Rollup '"
                                + name
                                + "': window must be whole milliseconds, was "
                                + size
                                + ".");
            }
            this.window = size;
            return this;
        }

        /** No windows: one running total per group over all time. */
        public Builder runningTotal() {
            this.window = null;
            return this;
        }

        public Builder groupBy(String... fields) {
            for (String field : fields) {
                checkFieldName("group-by field", field);
                if (groupBy.contains(field)) {
                    throw new IllegalArgumentException(
                            "Rollup '"
                                    + name
                                    + "': group-by field '"
                                    + field
                                    + "' is named twice.");
                }
                groupBy.add(field);
            }
            return this;
        }

        public Builder metric(RollupMetric metric) {
            if (metric.field() != null) {
                checkFieldName("metric field", metric.field());
            }
            if (metrics.contains(metric)) {
                throw new IllegalArgumentException(
                        "Rollup '" + name + "': metric " + metric + " is named twice.");
            }
            metrics.add(metric);
            return this;
        }

        /** How long after its end a window still takes changes (default 0). */
        public Builder allowedLateness(Duration lateness) {
            if (lateness == null || lateness.isNegative()) {
                throw new IllegalArgumentException(
                        "Rollup '"
                                + name
                                + "': allowed lateness must be zero or positive, was "
                                + lateness
                                + ".");
            }
            this.allowedLateness = lateness;
            return this;
        }

        /**
         * Creates the target index with {@code definition} (a mapping file's settings and mappings)
         * instead of the mapping made from the spec; {@link #build()} checks that it declares every
         * field the rollup writes with a type that fits.
         */
        public Builder indexDefinition(IndexDefinition definition) {
            this.indexDefinition = definition;
            return this;
        }

        public RollupSpec build() {
            if ((sourceIndex == null) == (sourceKeyPattern == null)) {
                throw new IllegalArgumentException(
                        "Rollup '"
                                + name
                                + "' needs exactly one of source index and source key pattern.");
            }
            if (window == null && !allowedLateness.isZero()) {
                throw new IllegalArgumentException(
                        "Rollup '"
                                + name
                                + "': allowed lateness needs a window; a running total has no"
                                + " window that closes.");
            }
            Set<String> outputs = new HashSet<>(RESERVED_FIELDS);
            outputs.add("count");
            for (String field : groupBy) {
                if (!outputs.add(field)) {
                    throw new IllegalArgumentException(
                            "Rollup '"
                                    + name
                                    + "': group-by field '"
                                    + field
                                    + "' would overwrite a field of the rollup document.");
                }
            }
            for (RollupMetric metric : metrics) {
                if (metric.field() != null && !outputs.add(metric.outputName())) {
                    throw new IllegalArgumentException(
                            "Rollup '"
                                    + name
                                    + "': metric "
                                    + metric
                                    + " would overwrite field '"
                                    + metric.outputName()
                                    + "' of the rollup document.");
                }
            }
            RollupSpec spec = new RollupSpec(this);
            if (indexDefinition != null) {
                List<String> problems = RollupIndexes.incompatibilities(spec, indexDefinition);
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException(String.join(" ", problems));
                }
            }
            return spec;
        }

        private void checkIndexName(String setting, String index) {
            if (index == null || !index.matches("[a-z0-9][a-z0-9_.+-]*")) {
                throw new IllegalArgumentException(
                        "Rollup '"
                                + name
                                + "': "
                                + setting
                                + " '"
                                + index
                                + "' is not a valid Elasticsearch index name (lowercase letters,"
                                + " digits and _ . + -, not starting with _ . + -).");
            }
        }

        private void checkFieldName(String setting, String field) {
            if (field == null || field.isEmpty() || field.startsWith("_") || field.contains(".")) {
                throw new IllegalArgumentException(
                        "Rollup '"
                                + name
                                + "': "
                                + setting
                                + " '"
                                + field
                                + "' is not a top-level document field name (not empty, no '.',"
                                + " not starting with '_').");
            }
        }
    }
}
