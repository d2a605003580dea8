package io.github.redisessync.job.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * One component's {@link Configuration} as the YAML fills it, remembering the setting each option
 * came from and its value as written, so that a problem the component finds is reported under the
 * setting's path ({@code source.scan-count}), not the option's key ({@code scan.count}).
 */
final class BoundOptions {
    private final Configuration options = new Configuration();
    private final Map<String, String> paths = new HashMap<>();
    private final Map<String, String> written = new HashMap<>();

    /**
     * Sets {@code option} from the setting at {@code path}, unless {@code value} is null. {@code
     * shown} is the value as a message may quote it; never pass a secret.
     */
    <T> void set(String path, Object shown, ConfigOption<T> option, T value) {
        if (value == null) {
            return;
        }
        options.set(option, value);
        paths.put(option.key(), path);
        written.put(option.key(), shown(shown));
    }

    /** Sets an option that no setting of the file names (it comes from a command). */
    <T> void set(ConfigOption<T> option, T value) {
        options.set(option, value);
    }

    Configuration options() {
        return options;
    }

    /** Adds the problem a component found with {@code option}: {@code expected ..., was ...}. */
    void report(Problems problems, String option, String expected) {
        String was = written.containsKey(option) ? ", was " + written.get(option) : "";
        problems.add(paths.getOrDefault(option, option), "expected " + expected + was + ".");
    }

    private static String shown(Object value) {
        if (value instanceof String text) {
            return text.isBlank() ? "empty" : "'" + text + "'";
        }
        return String.valueOf(value);
    }
}
