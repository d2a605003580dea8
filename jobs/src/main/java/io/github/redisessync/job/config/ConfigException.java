package io.github.redisessync.job.config;

import java.util.List;

/**
 * A configuration that cannot run: each line names where the setting came from (the file, an
 * environment variable, an option), its path ({@code mappings[2].fields.age.type}) and what was
 * expected. An {@link IllegalArgumentException}, so the CLI exits with code 2.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigException(List<String> problems) {
        super(
                problems.size() == 1
                        ? problems.get(0)
                        : "The configuration has "
                                + problems.size()
                                + " problems:\n  "
                                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    ConfigException(String problem) {
        this(List.of(problem));
    }

    /** One sentence per problem. */
    public List<String> problems() {
        return problems;
    }
}
