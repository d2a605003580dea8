package io.github.redisessync.job.rollup;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;

/**
 * The index a rollup writes to, as its documents need it: {@code rollup} and the group fields
 * {@code keyword} (terms compare them exactly), {@code window_start} and {@code window_end} {@code
 * date}, {@code count} {@code long}, metrics {@code double}; anything else is not indexed ({@code
 * dynamic: false}). Made from the spec rather than read from a file, so that it always matches the
 * documents the rollup writes; an index that exists already is left as it is.
 */
public final class RollupIndexes {
    private RollupIndexes() {}

    /** The settings and mappings {@code spec}'s target index is created with. */
    public static IndexDefinition definition(RollupSpec spec) {
        StringBuilder properties = new StringBuilder();
        field(properties, "rollup", "keyword");
        if (spec.isWindowed()) {
            field(properties, "window_start", "date");
            field(properties, "window_end", "date");
        }
        for (String group : spec.groupBy()) {
            field(properties, group, "keyword");
        }
        field(properties, "count", "long");
        for (RollupMetric metric : spec.metrics()) {
            if (metric.field() != null) {
                String type = metric.kind() == RollupMetric.Kind.COUNT ? "long" : "double";
                field(properties, metric.outputName(), type);
            }
        }
        return IndexDefinition.parse(
                "{\"settings\":{\"number_of_shards\":1},\"mappings\":{\"dynamic\":false,"
                        + "\"properties\":{"
                        + properties
                        + "}}}",
                "the mapping of rollup " + spec.name());
    }

    private static void field(StringBuilder properties, String name, String type) {
        if (properties.length() > 0) {
            properties.append(',');
        }
        // Field names are checked by the spec: no quotes or backslashes to escape.
        properties.append('"').append(name).append("\":{\"type\":\"").append(type).append("\"}");
    }
}
