package io.github.redisessync.job.config;

import java.util.ArrayList;
import java.util.List;

/** A setting's path, {@code mappings[2].fields.age.type}: names and list indexes. */
final class ConfigPath {

    private ConfigPath() {}

    /** Splits {@code a.b[2].c} (or {@code a.b.2.c}) into names and Integer indexes. */
    static List<Object> parse(String path) {
        List<Object> segments = new ArrayList<>();
        for (String part : path.split("\\.", -1)) {
            String name = part;
            List<Integer> indexes = new ArrayList<>();
            while (name.endsWith("]") && name.lastIndexOf('[') >= 0) {
                int open = name.lastIndexOf('[');
                indexes.add(0, index(path, name.substring(open + 1, name.length() - 1)));
                name = name.substring(0, open);
            }
            if (name.isEmpty() && indexes.isEmpty()) {
                throw new ConfigException(
                        "Setting path '"
                                + path
                                + "' has an empty part; expected e.g. sink.bulk-flush-max-actions.");
            }
            if (!name.isEmpty()) {
                segments.add(name.matches("\\d+") ? Integer.valueOf(name) : name);
            }
            segments.addAll(indexes);
        }
        return segments;
    }

    private static Integer index(String path, String text) {
        if (!text.matches("\\d+")) {
            throw new ConfigException(
                    "Setting path '"
                            + path
                            + "' has '["
                            + text
                            + "]'; expected a list index such as [0].");
        }
        return Integer.valueOf(text);
    }

    /** Joins segments back: {@code mappings[2].fields.age}. */
    static String format(List<Object> segments) {
        StringBuilder sb = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer) {
                sb.append('[').append(segment).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(segment);
            }
        }
        return sb.toString();
    }
}
