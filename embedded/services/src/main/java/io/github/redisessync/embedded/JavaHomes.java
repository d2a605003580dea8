package io.github.redisessync.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK a search-server distribution runs on: Elasticsearch 8+ and OpenSearch 3+ need Java 21
 * or later; Elasticsearch 7 and OpenSearch 2 a Java that still has the security manager (11 to 23).
 */
final class JavaHomes {

    private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private JavaHomes() {}

    /** A JDK that runs {@code kind} {@code major}, or an error naming what was looked at. */
    static Path forServer(
            SearchServerKind kind, int major, Map<String, String> environment, Path jvmDirectory) {
        return forServer(
                kind, major, environment, jvmDirectory, Path.of(System.getProperty("java.home")));
    }

    static Path forServer(
            SearchServerKind kind,
            int major,
            Map<String, String> environment,
            Path jvmDirectory,
            Path thisJvm) {
        int min = kind.minJava(major);
        int max = kind.maxJava(major);
        List<Path> candidates = candidates(kind, environment, jvmDirectory, thisJvm);
        List<String> seen = new ArrayList<>();
        for (Path candidate : candidates) {
            Optional<Integer> feature = featureVersion(candidate);
            seen.add(candidate + feature.map(v -> " (Java " + v + ")").orElse(" (not a JDK)"));
            if (feature.isPresent()
                    && feature.get() >= min
                    && feature.get() <= max
                    && Files.isExecutable(candidate.resolve("bin/java"))) {
                return candidate;
            }
        }
        throw new EmbeddedServerException(
                kind.displayName()
                        + " "
                        + major
                        + ".x needs Java "
                        + min
                        + (max == Integer.MAX_VALUE ? " or later" : " to " + max)
                        + ", and none was found. Looked at "
                        + String.join(", ", variables(kind))
                        + ", this JVM and "
                        + jvmDirectory
                        + "/*: "
                        + (seen.isEmpty() ? "nothing" : String.join(", ", seen))
                        + ". Install one (e.g. Temurin 21 or 25) or point ES_JAVA_HOME at it.");
    }

    /**
     * The kind's own variable (OPENSEARCH_JAVA_HOME), ES_JAVA_HOME (what .ci/run sets), JAVA_HOME,
     * this JVM, then the directories of {@code jvmDirectory} newest Java first.
     */
    static List<Path> candidates(
            SearchServerKind kind,
            Map<String, String> environment,
            Path jvmDirectory,
            Path thisJvm) {
        List<Path> candidates = new ArrayList<>();
        for (String variable : variables(kind)) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                candidates.add(Path.of(value));
            }
        }
        candidates.add(thisJvm);
        if (Files.isDirectory(jvmDirectory)) {
            try (Stream<Path> installed = Files.list(jvmDirectory)) {
                installed
                        .filter(Files::isDirectory)
                        .sorted(
                                Comparator.comparing((Path p) -> featureVersion(p).orElse(0))
                                        .reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // Nothing more to look at.
            }
        }
        return candidates.stream().map(Path::toAbsolutePath).distinct().toList();
    }

    private static List<String> variables(SearchServerKind kind) {
        return kind == SearchServerKind.ELASTICSEARCH
                ? List.of("ES_JAVA_HOME", "JAVA_HOME")
                : List.of(kind.javaHomeVariable(), "ES_JAVA_HOME", "JAVA_HOME");
    }

    /** The feature version from a JDK's {@code release} file, e.g. 25. */
    static Optional<Integer> featureVersion(Path javaHome) {
        try {
            Matcher matcher =
                    JAVA_VERSION.matcher(
                            Files.readString(javaHome.resolve("release"), StandardCharsets.UTF_8));
            return matcher.find()
                    ? Optional.of(Integer.parseInt(matcher.group(1)))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
