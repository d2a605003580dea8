package io.github.redisessync.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An official Elasticsearch or OpenSearch integ-test-zip that Maven resolved, unpacked once per
 * version into a shared cache directory that every user can read (the node may run as another
 * user).
 *
 * <p>The versions the modules of embedded/distributions depend on name their zip in a resource
 * ({@link SearchServerKind#pathResource}); any other version is looked up in the local Maven
 * repository, where {@code mvn dependency:get} puts it.
 *
 * @param home the unpacked {@code <kind>-<version>} directory; shared, never written to
 */
record ElasticsearchDistribution(SearchServerKind kind, String version, Path home) {

    static final String PROPERTIES_RESOURCE =
            "META-INF/redis-es-sync/elasticsearch-distribution.properties";

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchDistribution.class);

    /** The Elasticsearch version the build always resolves and tests, e.g. {@code 8.19.21}. */
    static String defaultVersion() {
        return properties().getProperty("version");
    }

    /** The unpacked distribution of {@code version}; unpacks it on first use. */
    static ElasticsearchDistribution of(SearchServerKind kind, String version) {
        Path zip = zipOf(kind, version);
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), kind.cacheName(version));
        try {
            return new ElasticsearchDistribution(
                    kind, version, unpackOnce(zip, cache, kind.homeName(version)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack " + zip + " into " + cache, e);
        }
    }

    int major() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    static Path zipOf(SearchServerKind kind, String version) {
        if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException(
                    "A "
                            + kind.displayName()
                            + " version looks like 8.19.21 or 3.2.0, was "
                            + version
                            + ".");
        }
        String resolved = optionalResource(kind.pathResource(version));
        Path zip =
                resolved != null
                        ? Path.of(resolved.trim())
                        : kind.zipIn(
                                Path.of(properties().getProperty("local-repository")), version);
        if (!Files.isRegularFile(zip)) {
            throw new EmbeddedServerException(
                    "The "
                            + kind.displayName()
                            + " "
                            + version
                            + " distribution is not at "
                            + zip
                            + ". Resolve it with: mvn dependency:get -Dartifact="
                            + kind.coordinates(version)
                            + " (or add a module for it to embedded/distributions).");
        }
        return zip;
    }

    /**
     * Unpacks into a private directory and renames it into place, under a file lock, so that
     * concurrent test JVMs neither unpack twice nor see half a distribution.
     */
    static Path unpackOnce(Path zip, Path cache, String homeName) throws IOException {
        Path home = cache.resolve(homeName);
        if (Files.isDirectory(home)) {
            return home;
        }
        Files.createDirectories(cache);
        openToEveryone(cache);
        try (FileChannel channel =
                        FileChannel.open(
                                cache.resolve(".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (Files.isDirectory(home)) {
                return home;
            }
            long started = System.nanoTime();
            Path partial = Files.createTempDirectory(cache, "unpacking-");
            unzip(zip, partial);
            try (Stream<Path> tree = Files.walk(partial)) {
                for (Path path : (Iterable<Path>) tree::iterator) {
                    if (Files.isDirectory(path)) {
                        openToEveryone(path);
                    }
                }
            }
            Files.move(partial.resolve(homeName), home);
            ProcessSupport.deleteRecursively(partial);
            LOG.info(
                    "Unpacked {} into {} in {} ms",
                    zip.getFileName(),
                    home,
                    ProcessSupport.millisSince(started));
            return home;
        }
    }

    /** Unzips keeping each entry's Unix permissions (the scripts in bin/ must stay executable). */
    private static void unzip(Path zip, Path target) throws IOException {
        try (FileSystem zipFs =
                FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", true))) {
            Path root = zipFs.getRootDirectories().iterator().next();
            try (Stream<Path> entries = Files.walk(root)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    Path destination = target.resolve(root.relativize(entry).toString());
                    if (Files.isDirectory(entry)) {
                        Files.createDirectories(destination);
                        continue;
                    }
                    Files.createDirectories(destination.getParent());
                    Files.copy(entry, destination, StandardCopyOption.REPLACE_EXISTING);
                    Set<PosixFilePermission> permissions;
                    try {
                        permissions = Files.getPosixFilePermissions(entry);
                    } catch (UnsupportedOperationException | IOException e) {
                        permissions = PosixFilePermissions.fromString("rw-r--r--");
                    }
                    if (permissions.isEmpty()) {
                        // Entries stored without Unix attributes.
                        permissions = PosixFilePermissions.fromString("rw-r--r--");
                    }
                    permissions.add(PosixFilePermission.OTHERS_READ);
                    permissions.add(PosixFilePermission.GROUP_READ);
                    Files.setPosixFilePermissions(destination, permissions);
                }
            }
        }
        Path bin = target.resolve(target.toFile().list()[0]).resolve("bin");
        try (Stream<Path> scripts = Files.list(bin)) {
            for (Path script : (Iterable<Path>) scripts::iterator) {
                // Whatever the zip recorded, the launchers must run.
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static void openToEveryone(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Properties properties() {
        Properties properties = new Properties();
        try (InputStream in =
                new java.io.ByteArrayInputStream(
                        resource(PROPERTIES_RESOURCE).getBytes(StandardCharsets.UTF_8))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String resource(String name) {
        String content = optionalResource(name);
        if (content == null) {
            throw new EmbeddedServerException(
                    "No "
                            + name
                            + " on the classpath: add"
                            + " io.github.redisessync:redis-es-sync-embedded-elasticsearch-distribution"
                            + " (with its transitive dependencies excluded).");
        }
        return content;
    }

    /** The resource's content, or null when no module on the classpath carries it. */
    private static String optionalResource(String name) {
        URL url = ElasticsearchDistribution.class.getClassLoader().getResource(name);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + url, e);
        }
    }
}
