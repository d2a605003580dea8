package io.github.redisessync.job.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every problem of a configuration, each naming its setting, then fails once. */
public final class Problems {
    private final LoadedConfig loaded;
    private final List<String> problems = new ArrayList<>();

    Problems(LoadedConfig loaded) {
        this.loaded = loaded;
    }

    /** Records that {@code path} is wrong: {@code sentence} says what was expected. */
    public void add(String path, String sentence) {
        String origin = null;
        for (String p = path; !p.isEmpty() && origin == null; p = parentOf(p)) {
            origin = loaded.origins().get(p);
        }
        String where =
                origin != null
                        ? path + " (from " + origin + ")"
                        : (loaded.file() != null ? loaded.file() : "configuration") + ": " + path;
        problems.add(where + ": " + sentence);
    }

    /** Runs {@code check}; an IllegalArgumentException becomes a problem of {@code path}. */
    public <T> T check(String path, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
            return null;
        }
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
