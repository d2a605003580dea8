package io.github.redisessync.job.rollup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The index a rollup writes to, as its documents need it: {@code rollup} and the group fields
 * {@code keyword} (terms compare them exactly), {@code window_start} and {@code window_end} {@code
 * date}, {@code count} {@code long}, metrics {@code double}; anything else is not indexed ({@code
 * dynamic: false}). Made from the spec, so that it always matches the documents the rollup writes,
 * unless the spec carries a mapping file's definition, which {@link #incompatibilities} has checked
 * against the same needs. An index that exists already is left as it is.
 */
public final class RollupIndexes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYWORD = Set.of("keyword");
    private static final Set<String> DATE = Set.of("date", "date_nanos");
    private static final String DATE_NAMES = "date, date_nanos";
    private static final Set<String> NUMERIC =
            Set.of(
                    "long",
                    "integer",
                    "short",
                    "byte",
                    "double",
                    "float",
                    "half_float",
                    "scaled_float",
                    "unsigned_long");
    private static final String NUMERIC_NAMES =
            "long, integer, short, byte, double, float, half_float, scaled_float, unsigned_long";

    private RollupIndexes() {}

    /** The settings and mappings {@code spec}'s target index is created with. */
    public static IndexDefinition definition(RollupSpec spec) {
        return spec.indexDefinition() != null ? spec.indexDefinition() : generated(spec);
    }

    /**
     * What in {@code definition} does not fit the documents {@code spec} writes, one sentence each
     * naming the definition's source and the field; empty when it fits. Every field the rollup
     * writes must be declared: a file replaces the generated mapping whole, and an undeclared field
     * would be guessed by dynamic mapping from the first document (a sum of 12 as {@code long}, a
     * group value as {@code text}), left unsearchable ({@code dynamic: false}) or refused ({@code
     * strict}), and the report's term query on {@code rollup} needs a keyword.
     */
    public static List<String> incompatibilities(RollupSpec spec, IndexDefinition definition) {
        List<String> problems = new ArrayList<>();
        String where = "Mapping file " + definition.source();
        Map<String, String> types = definition.fieldTypes();
        String rollup = "rollup " + spec.name();
        expect(problems, where, types, "rollup", KEYWORD, "keyword", rollup + " writes its name");
        if (spec.isWindowed()) {
            for (String field : List.of("window_start", "window_end")) {
                expect(problems, where, types, field, DATE, DATE_NAMES, rollup + " writes a date");
            }
        }
        for (String group : spec.groupBy()) {
            expect(
                    problems,
                    where,
                    types,
                    group,
                    KEYWORD,
                    "keyword",
                    rollup + " groups by it and writes its values as text");
        }
        expect(problems, where, types, "count", NUMERIC, NUMERIC_NAMES, rollup + " counts there");
        for (RollupMetric metric : spec.metrics()) {
            if (metric.field() != null) {
                expect(
                        problems,
                        where,
                        types,
                        metric.outputName(),
                        NUMERIC,
                        NUMERIC_NAMES,
                        rollup + " writes " + metric + " there");
            }
        }
        if (!sourceEnabled(definition)) {
            problems.add(
                    where
                            + ": mappings._source is disabled, but report (--compare) reads the"
                            + " rollup documents from _source.");
        }
        return problems;
    }

    private static void expect(
            List<String> problems,
            String where,
            Map<String, String> types,
            String field,
            Set<String> allowed,
            String allowedNames,
            String why) {
        String type = types.get(field);
        if (type == null) {
            problems.add(
                    where
                            + ": mappings.properties declares no field '"
                            + field
                            + "', but "
                            + why
                            + ": declare it as "
                            + (allowedNames.contains(",") ? "one of " : "")
                            + allowedNames
                            + ".");
        } else if (!allowed.contains(type)) {
            problems.add(
                    where
                            + ": field '"
                            + field
                            + "' is mapped as "
                            + type
                            + ", but "
                            + why
                            + ": expected "
                            + (allowedNames.contains(",") ? "one of " : "")
                            + allowedNames
                            + ".");
        }
    }

    private static boolean sourceEnabled(IndexDefinition definition) {
        try {
            JsonNode enabled =
                    JSON.readTree(definition.body())
                            .path("mappings")
                            .path("_source")
                            .path("enabled");
            return !"false".equals(enabled.asText());
        } catch (JsonProcessingException e) {
            // The body was parsed once already to become a definition.
            throw new IllegalStateException("Unreadable body of " + definition.source(), e);
        }
    }

    private static IndexDefinition generated(RollupSpec spec) {
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
