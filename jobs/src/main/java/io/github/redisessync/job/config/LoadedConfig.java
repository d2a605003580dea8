package io.github.redisessync.job.config;

import java.nio.file.Path;
import java.util.Map;

/** A typed configuration with its file and where each overridden setting came from. */
public final class LoadedConfig {
    private final JobConfig config;
    private final Path file;
    private final Map<String, String> origins;

    LoadedConfig(JobConfig config, Path file, Map<String, String> origins) {
        // A section with nothing but comments under it (redis:) reads as null: treat it as empty.
        config.redis = config.redis != null ? config.redis : new JobConfig.Redis();
        config.elasticsearch =
                config.elasticsearch != null ? config.elasticsearch : new JobConfig.Elasticsearch();
        config.source = config.source != null ? config.source : new JobConfig.Source();
        config.mappings = config.mappings != null ? config.mappings : new java.util.ArrayList<>();
        config.rollups = config.rollups != null ? config.rollups : new java.util.ArrayList<>();
        config.sink = config.sink != null ? config.sink : new JobConfig.Sink();
        config.checkpoint =
                config.checkpoint != null ? config.checkpoint : new JobConfig.Checkpoint();
        for (JobConfig.Mapping m : config.mappings) {
            if (m != null) {
                m.include = m.include != null ? m.include : new java.util.ArrayList<>();
                m.exclude = m.exclude != null ? m.exclude : new java.util.ArrayList<>();
                m.rename = m.rename != null ? m.rename : new java.util.LinkedHashMap<>();
                m.fields = m.fields != null ? m.fields : new java.util.LinkedHashMap<>();
            }
        }
        for (JobConfig.Rollup r : config.rollups) {
            if (r != null) {
                r.groupBy = r.groupBy != null ? r.groupBy : new java.util.ArrayList<>();
                r.metrics = r.metrics != null ? r.metrics : new java.util.ArrayList<>();
            }
        }
        this.config = config;
        this.file = file;
        this.origins = Map.copyOf(origins);
    }

    public JobConfig config() {
        return config;
    }

    /** The configuration file, or null when there is none. */
    public Path file() {
        return file;
    }

    /** Setting path to the variable or option that set it; the file's own values are absent. */
    Map<String, String> origins() {
        return origins;
    }
}
