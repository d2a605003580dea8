package io.github.redisessync.job.config;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.job.rollup.RollupIndexes;
import io.github.redisessync.job.rollup.RollupMetric;
import io.github.redisessync.job.rollup.RollupSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds {@code rollups} entries to {@link RollupSpec}, checking the fields they read exist and that
 * a mapping file for the target index fits the documents the rollup writes.
 */
final class RollupBindings {
    private final Problems problems;
    private final MappingRules mappings;
    private final List<JobConfig.Mapping> mappingConfigs;
    private final Path baseDir;
    private final Path mappingsDir;

    RollupBindings(
            Problems problems,
            MappingRules mappings,
            List<JobConfig.Mapping> configs,
            Path baseDir,
            Path mappingsDir) {
        this.problems = problems;
        this.mappings = mappings;
        this.mappingConfigs = configs;
        this.baseDir = baseDir;
        this.mappingsDir = mappingsDir;
    }

    List<RollupSpec> specs(List<JobConfig.Rollup> rollups) {
        List<RollupSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rollups.size(); i++) {
            String at = "rollups[" + i + "]";
            JobConfig.Rollup r = rollups.get(i);
            if (r == null || r.name == null) {
                problems.add(at + ".name", "expected a rollup name such as orders_per_day.");
                continue;
            }
            if (!names.add(r.name)) {
                problems.add(
                        at + ".name",
                        "'" + r.name + "' names another rollup too; names are unique.");
            }
            RollupSpec.Builder builder = problems.check(at, () -> builder(at, r));
            RollupSpec spec = builder == null ? null : problems.check(at, builder::build);
            if (spec == null) {
                continue;
            }
            IndexDefinition definition = indexDefinition(at, r, spec);
            if (definition != null) {
                spec = problems.check(at, () -> builder.indexDefinition(definition).build());
            }
            if (spec != null) {
                specs.add(spec);
            }
        }
        return specs;
    }

    private RollupSpec.Builder builder(String at, JobConfig.Rollup r) {
        RollupSpec.Builder b = RollupSpec.builder(r.name);
        Set<String> fields = null;
        if (r.sourceIndex != null) {
            if (!mappings.indexes().contains(r.sourceIndex)) {
                throw new IllegalArgumentException(
                        "source-index '"
                                + r.sourceIndex
                                + "' is not the index of any mapping; expected one of "
                                + mappings.indexes()
                                + ".");
            }
            b.sourceIndex(r.sourceIndex);
            fields = mappings.fieldsOf(r.sourceIndex);
        }
        if (r.sourcePattern != null) {
            String index = null;
            for (JobConfig.Mapping m : mappingConfigs) {
                if (m != null && r.sourcePattern.equals(m.pattern)) {
                    index = m.index;
                }
            }
            if (index == null) {
                throw new IllegalArgumentException(
                        "source-pattern '"
                                + r.sourcePattern
                                + "' is not the pattern of any mapping.");
            }
            b.sourceKeyPattern(r.sourcePattern.replaceAll("\\{[A-Za-z_][A-Za-z0-9_]*}", "*"));
            fields = mappings.fieldsOf(index);
        }
        if (r.targetIndex != null) {
            b.targetIndex(r.targetIndex);
        }
        if (r.timeField != null) {
            known(at + ".time-field", r.timeField, fields);
            b.timeField(r.timeField);
        }
        if (r.window != null) {
            b.window(Values.positiveDuration(r.window));
        }
        for (int g = 0; g < r.groupBy.size(); g++) {
            known(at + ".group-by[" + g + "]", r.groupBy.get(g), fields);
        }
        b.groupBy(r.groupBy.toArray(new String[0]));
        for (int m = 0; m < r.metrics.size(); m++) {
            RollupMetric metric = RollupMetric.parse(r.metrics.get(m));
            if (metric.field() != null) {
                known(at + ".metrics[" + m + "]", metric.field(), fields);
            }
            b.metric(metric);
        }
        if (r.allowedLateness != null) {
            b.allowedLateness(Values.duration(r.allowedLateness));
        }
        return b;
    }

    /**
     * The mapping file's definition, looked up as a documents index's is (the explicit {@code
     * mapping-file}, else {@code <mappings-dir>/<target-index>.json} if it exists); null when there
     * is none, or when it is broken or does not fit, each problem recorded.
     */
    private IndexDefinition indexDefinition(String at, JobConfig.Rollup r, RollupSpec spec) {
        Path file;
        String path;
        if (r.mappingFile != null) {
            file = baseDir.resolve(r.mappingFile);
            path = at + ".mapping-file";
            if (!Files.isRegularFile(file)) {
                problems.add(path, "file " + file + " does not exist.");
                return null;
            }
        } else {
            file = mappingsDir.resolve(spec.targetIndex() + ".json");
            path = at + ".target-index";
            if (!Files.isRegularFile(file)) {
                return null;
            }
        }
        IndexDefinition definition = problems.check(path, () -> IndexDefinition.fromFile(file));
        if (definition == null) {
            return null;
        }
        List<String> misfits = RollupIndexes.incompatibilities(spec, definition);
        misfits.forEach(misfit -> problems.add(path, misfit));
        return misfits.isEmpty() ? definition : null;
    }

    /** A field the rollup reads must be a field the source documents have, when they are known. */
    private void known(String path, String field, Set<String> fields) {
        if (fields != null && !fields.contains(field)) {
            problems.add(
                    path,
                    "'"
                            + field
                            + "' is not a field of the source documents; they have "
                            + fields
                            + ".");
        }
    }
}
