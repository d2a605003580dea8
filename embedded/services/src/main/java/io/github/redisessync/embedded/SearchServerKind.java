package io.github.redisessync.embedded;

import java.nio.file.Path;
import java.util.Map;

/**
 * The search servers {@link ElasticsearchDistributionNode} runs from their official integ-test-zip:
 * where Maven keeps the zip, what the launcher, configuration file and environment are called, and
 * which Java each major version runs on.
 *
 * <pre>{@code
 * try (ElasticsearchDistributionNode node =
 *         ElasticsearchDistributionNode.start(SearchServerKind.OPENSEARCH, "3.2.0")) {
 *     new ElasticsearchHttp(URI.create(node.url())).version(); // "3.2.0"
 * }
 * }</pre>
 */
public enum SearchServerKind {
    /** Elasticsearch 7.17 and later; 8 and 9 are the ones the build resolves. */
    ELASTICSEARCH("Elasticsearch", "elasticsearch", "org.elasticsearch", "ES", "es"),
    /** OpenSearch 2 and 3; its integ-test-zip has no security plugin, so security is always off. */
    OPENSEARCH("OpenSearch", "opensearch", "org.opensearch", "OPENSEARCH", "opensearch");

    private final String displayName;
    private final String artifactId;
    private final String groupPrefix;
    private final String environmentPrefix;
    private final String cacheTag;

    SearchServerKind(
            String displayName,
            String artifactId,
            String groupPrefix,
            String environmentPrefix,
            String cacheTag) {
        this.displayName = displayName;
        this.artifactId = artifactId;
        this.groupPrefix = groupPrefix;
        this.environmentPrefix = environmentPrefix;
        this.cacheTag = cacheTag;
    }

    /** For messages and logs: {@code Elasticsearch}, {@code OpenSearch}. */
    public String displayName() {
        return displayName;
    }

    /** The Maven coordinates of a version's zip, as {@code mvn dependency:get} takes them. */
    public String coordinates(String version) {
        return groupPrefix + ".distribution.integ-test-zip:" + artifactId + ":" + version + ":zip";
    }

    /** The zip inside a Maven repository with the default layout. */
    Path zipIn(Path repository, String version) {
        return repository
                .resolve(groupPrefix.replace('.', '/'))
                .resolve("distribution/integ-test-zip")
                .resolve(artifactId)
                .resolve(version)
                .resolve(artifactId + "-" + version + ".zip");
    }

    /** The classpath resource in which a module of embedded/distributions names its zip. */
    String pathResource(String version) {
        return "META-INF/redis-es-sync/distributions/" + artifactId + "-" + version + ".path";
    }

    /** The zip's top directory, e.g. {@code opensearch-3.2.0}. */
    String homeName(String version) {
        return artifactId + "-" + version;
    }

    /** The directory under {@code java.io.tmpdir} that holds the unpacked version. */
    String cacheName(String version) {
        return "redis-es-sync-" + cacheTag + "-cache-" + version;
    }

    /** The launcher, relative to the home. */
    String launcher() {
        return "bin/" + artifactId;
    }

    /** The main configuration file in the configuration directory. */
    String configFile() {
        return artifactId + ".yml";
    }

    /**
     * The launcher's environment: the JDK, configuration and temporary directories, and no JVM
     * options inherited from the user's shell.
     */
    Map<String, String> environment(Path java, Path config, Path tmp) {
        return Map.of(
                environmentPrefix + "_JAVA_HOME",
                java.toString(),
                environmentPrefix + "_PATH_CONF",
                config.toString(),
                environmentPrefix + "_TMPDIR",
                tmp.toString(),
                environmentPrefix + "_JAVA_OPTS",
                "",
                "JAVA_HOME",
                java.toString());
    }

    /** The variable users set to choose the JDK, looked at before {@code JAVA_HOME}. */
    String javaHomeVariable() {
        return environmentPrefix + "_JAVA_HOME";
    }

    /**
     * The oldest Java that runs {@code major}: Elasticsearch 8+ and OpenSearch 3+ need 21,
     * Elasticsearch 7 and OpenSearch 2 run on 11.
     */
    int minJava(int major) {
        return newGeneration(major) ? 21 : 11;
    }

    /**
     * The newest Java that runs {@code major}: Elasticsearch 7 and OpenSearch 2 install a security
     * manager, which Java 24 removed (JEP 486), so they stop at 23; the others have no limit.
     */
    int maxJava(int major) {
        return newGeneration(major) ? Integer.MAX_VALUE : 23;
    }

    private boolean newGeneration(int major) {
        return this == ELASTICSEARCH ? major >= 8 : major >= 3;
    }
}
