package io.github.redisessync.job.config;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.job.mapping.DocumentShape;
import io.github.redisessync.job.mapping.FieldSpec;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns {@code mappings} into {@link IndexRule}s, naming each setting that is wrong. */
final class MappingRules {
    private static final Logger LOG = LoggerFactory.getLogger(MappingRules.class);
    private static final List<String> TYPES =
            List.of("hash", "string", "list", "set", "zset", "json");

    private final Problems problems;
    private final Path baseDir;
    private final Path mappingsDir;

    /** The document fields each index is known to have, for checking rollups. */
    private final Map<String, Set<String>> fieldsByIndex = new HashMap<>();

    /** Indexes with a mapping that declares no field (dynamic): their fields are unknown. */
    private final Set<String> dynamicIndexes = new LinkedHashSet<>();

    MappingRules(Problems problems, Path baseDir, Path mappingsDir) {
        this.problems = problems;
        this.baseDir = baseDir;
        this.mappingsDir = mappingsDir;
    }

    List<IndexRule> rules(List<JobConfig.Mapping> mappings) {
        List<IndexRule> rules = new ArrayList<>();
        Map<String, Integer> patterns = new HashMap<>();
        if (mappings.isEmpty()) {
            problems.add("mappings", "expected at least one mapping of a key pattern to an index.");
        }
        for (int i = 0; i < mappings.size(); i++) {
            String at = "mappings[" + i + "]";
            JobConfig.Mapping m = mappings.get(i);
            if (m == null) {
                problems.add(at, "expected a mapping with pattern and index, was empty.");
                continue;
            }
            KeyPattern pattern = pattern(at, m);
            if (pattern != null) {
                Integer earlier = patterns.putIfAbsent(pattern.glob(), i);
                if (earlier != null) {
                    problems.add(
                            at + ".pattern",
                            "'"
                                    + m.pattern
                                    + "' scans the same keys as mappings["
                                    + earlier
                                    + "].pattern; each key pattern has one mapping.");
                }
            }
            String index =
                    m.index == null
                            ? missing(at + ".index", "expected the target index or alias.")
                            : problems.check(at + ".index", () -> Values.indexName(m.index));
            DocumentShape shape = shape(at, m);
            IndexDefinition definition = index == null ? null : definition(at, m, index);
            if (pattern != null && index != null && shape != null && definition != null) {
                rules.add(new IndexRule(pattern, index, definition, shape));
                Set<String> fields =
                        fieldsByIndex.computeIfAbsent(index, k -> new LinkedHashSet<>());
                fields.addAll(definition.fieldTypes().keySet());
                fields.addAll(shape.fields().keySet());
                fields.addAll(shape.renames().values());
                if (m.type != null && !m.type.equalsIgnoreCase("hash")) {
                    fields.add(shape.valueField());
                }
            }
        }
        fieldsByIndex.forEach(
                (index, fields) -> {
                    if (fields.isEmpty()) {
                        dynamicIndexes.add(index);
                    }
                });
        return rules;
    }

    /** Known fields of {@code index}, or null when they are unknown (dynamic mapping). */
    Set<String> fieldsOf(String index) {
        return dynamicIndexes.contains(index) ? null : fieldsByIndex.get(index);
    }

    Set<String> indexes() {
        return fieldsByIndex.keySet();
    }

    private KeyPattern pattern(String at, JobConfig.Mapping m) {
        if (m.pattern == null || m.pattern.isEmpty()) {
            missing(at + ".pattern", "expected a key pattern such as user:* or order:{id}.");
            return null;
        }
        KeyPattern pattern = problems.check(at + ".pattern", () -> KeyPattern.of(m.pattern));
        if (pattern != null && m.id != null) {
            return problems.check(at + ".id", () -> pattern.withIdTemplate(m.id));
        }
        return pattern;
    }

    private DocumentShape shape(String at, JobConfig.Mapping m) {
        DocumentShape.Builder shape = DocumentShape.builder();
        String type = problems.check(at + ".type", () -> Values.oneOf(m.type, "hash", TYPES));
        if (type != null) {
            shape.redisType(RedisDataType.valueOf(type.toUpperCase(Locale.ROOT)));
        }
        String format =
                problems.check(
                        at + ".string-format",
                        () -> Values.oneOf(m.stringFormat, "json", List.of("json", "raw")));
        if (format != null) {
            shape.stringFormat(DocumentShape.StringFormat.valueOf(format.toUpperCase(Locale.ROOT)));
        }
        String zset =
                problems.check(
                        at + ".zset-format",
                        () -> Values.oneOf(m.zsetFormat, "entries", List.of("entries", "members")));
        if (zset != null) {
            shape.zsetFormat(DocumentShape.ZsetFormat.valueOf(zset.toUpperCase(Locale.ROOT)));
        }
        if (m.valueField != null) {
            problems.check(at + ".value-field", () -> shape.valueField(m.valueField));
        }
        m.rename.forEach(
                (from, to) -> problems.check(at + ".rename." + from, () -> shape.rename(from, to)));
        shape.include(m.include).exclude(m.exclude);
        for (String name : m.include) {
            if (m.exclude.contains(name)) {
                problems.add(at + ".exclude", "'" + name + "' is also included; name it once.");
            }
        }
        m.fields.forEach(
                (name, field) -> {
                    String path = at + ".fields." + name;
                    if (field == null || field.type == null) {
                        problems.add(
                                path + ".type",
                                "expected one of " + String.join(", ", FieldSpec.TYPES) + ".");
                        return;
                    }
                    String where =
                            field.format != null && FieldSpec.TYPES.contains(field.type)
                                    ? ".format"
                                    : ".type";
                    FieldSpec spec =
                            problems.check(
                                    path + where, () -> FieldSpec.of(field.type, field.format));
                    if (spec != null) {
                        problems.check(path, () -> shape.field(name, spec));
                    }
                });
        return shape.build();
    }

    private IndexDefinition definition(String at, JobConfig.Mapping m, String index) {
        if (m.mappingFile != null) {
            Path file = baseDir.resolve(m.mappingFile);
            if (!Files.isRegularFile(file)) {
                problems.add(at + ".mapping-file", "file " + file + " does not exist.");
                return null;
            }
            return problems.check(at + ".mapping-file", () -> IndexDefinition.fromFile(file));
        }
        Path file = mappingsDir.resolve(index + ".json");
        if (Files.isRegularFile(file)) {
            return problems.check(at + ".index", () -> IndexDefinition.fromFile(file));
        }
        LOG.info("No mapping file {}; index {} gets dynamic mapping.", file, index);
        return IndexDefinition.dynamic();
    }

    private <T> T missing(String path, String sentence) {
        problems.add(path, sentence);
        return null;
    }
}
