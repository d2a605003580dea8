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
 * Finds a JDK an Elasticsearch distribution runs on: 8.x needs Java 21 or later; 7.x needs a Java
 * that still has the security manager (11 to 23).
 */
final class JavaHomes {

    private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private JavaHomes() {}

    /** A JDK that runs Elasticsearch {@code major}, or an error naming what was looked at. */
    static Path forElasticsearch(int major, Map<String, String> environment, Path jvmDirectory) {
        return forElasticsearch(
                major, environment, jvmDirectory, Path.of(System.getProperty("java.home")));
    }

    static Path forElasticsearch(
            int major, Map<String, String> environment, Path jvmDirectory, Path thisJvm) {
        int min = major >= 8 ? 21 : 11;
        int max = major >= 8 ? Integer.MAX_VALUE : 23;
        List<Path> candidates = candidates(environment, jvmDirectory, thisJvm);
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
                "Elasticsearch "
                        + major
                        + ".x needs Java "
                        + min
                        + (max == Integer.MAX_VALUE ? " or later" : " to " + max)
                        + ", and none was found. Looked at ES_JAVA_HOME, JAVA_HOME, this JVM and "
                        + jvmDirectory
                        + "/*: "
                        + (seen.isEmpty() ? "nothing" : String.join(", ", seen))
                        + ". Install one (e.g. Temurin 21 or 25) or point ES_JAVA_HOME at it.");
    }

    /**
     * ES_JAVA_HOME, JAVA_HOME, this JVM, then the directories of {@code jvmDirectory} newest Java
     * first.
     */
    static List<Path> candidates(Map<String, String> environment, Path jvmDirectory, Path thisJvm) {
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("ES_JAVA_HOME", "JAVA_HOME")) {
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
