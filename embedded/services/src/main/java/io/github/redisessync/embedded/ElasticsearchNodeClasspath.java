package io.github.redisessync.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The classpath of the forked Elasticsearch JVM: the node module's jars listed in the resource its
 * build writes, then the node module itself. Found through resources only, so no Elasticsearch
 * class is ever loaded in this JVM.
 */
final class ElasticsearchNodeClasspath {

    static final String RESOURCE = "META-INF/redis-es-sync/elasticsearch-node.classpath";
    static final String MAIN_CLASS =
            "io.github.redisessync.embedded.elasticsearch.ElasticsearchNodeMain";

    private ElasticsearchNodeClasspath() {}

    /**
     * The entries, every one checked to exist. Elasticsearch's own jars come first so that they win
     * over anything else found in the node module's location (a shaded jar, say).
     */
    static List<Path> resolve() {
        ClassLoader loader = ElasticsearchNodeClasspath.class.getClassLoader();
        URL resource = loader.getResource(RESOURCE);
        if (resource == null) {
            throw new EmbeddedServerException(
                    "No "
                            + RESOURCE
                            + " on the classpath: add"
                            + " io.github.redisessync:redis-es-sync-embedded-elasticsearch-node.");
        }
        String listed;
        try (InputStream in = resource.openStream()) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
        List<Path> entries = new ArrayList<>(parse(listed));
        entries.add(rootOf(resource, RESOURCE));
        List<Path> missing = entries.stream().filter(path -> !Files.exists(path)).toList();
        if (!missing.isEmpty()) {
            throw new EmbeddedServerException(
                    "The Elasticsearch node's classpath (from "
                            + resource
                            + ") names files that do not exist: "
                            + missing
                            + ". Run `mvn -pl embedded/elasticsearch-node install` on this"
                            + " machine.");
        }
        return entries;
    }

    /** Splits the path-separator-separated list that maven-dependency-plugin writes. */
    static List<Path> parse(String listed) {
        List<Path> entries = new ArrayList<>();
        for (String entry : listed.trim().split(Pattern.quote(java.io.File.pathSeparator))) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry.trim()));
            }
        }
        return entries;
    }

    /**
     * The jar or classes directory that holds a resource: {@code jar:file:/x.jar!/name} gives
     * {@code /x.jar}; {@code file:/dir/name} gives {@code /dir}.
     */
    static Path rootOf(URL resource, String resourceName) {
        String url = resource.toString();
        try {
            if (url.startsWith("jar:")) {
                int separator = url.indexOf("!/");
                return Path.of(new URI(url.substring("jar:".length(), separator)));
            }
            if (url.startsWith("file:") && url.endsWith(resourceName)) {
                return Path.of(new URI(url.substring(0, url.length() - resourceName.length())));
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new EmbeddedServerException("Cannot turn " + url + " into a file path.", e);
        }
        throw new EmbeddedServerException(
                "Cannot run the Elasticsearch node from "
                        + url
                        + ": it is neither a jar nor a"
                        + " directory on the file system.");
    }
}
