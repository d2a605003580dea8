package io.github.redisessync.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a {@code redis-server} to run: the one on the PATH when there is one, else the binary
 * bundled in {@code com.github.codemonstur:embedded-redis} (Redis 6.2), extracted once per user.
 */
final class RedisExecutable {

    static final String COMMAND = "redis-server";

    private RedisExecutable() {}

    /** The PATH's {@code redis-server}, else the bundled binary for this OS and architecture. */
    static Path resolve() {
        return findOnPath(System.getenv("PATH")).orElseGet(RedisExecutable::extractBundled);
    }

    static Optional<Path> findOnPath(String path) {
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, COMMAND);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * The name of embedded-redis's binary for an {@code os.name}/{@code os.arch} pair. Windows is
     * left out: its bundled binary is Redis 5, which lacks what our tail of changes relies on.
     */
    static String bundledResourceName(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && x86) {
            return "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("linux") && arm) {
            return "redis-server-6.2.7-linux-arm64";
        } else if (os.contains("mac") && x86) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        } else if (os.contains("mac") && arm) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new EmbeddedServerException(
                "No redis-server on the PATH and no bundled binary for "
                        + osName
                        + "/"
                        + osArch
                        + ". Install Redis (e.g. apt-get install redis-server) or pass an"
                        + " external server.");
    }

    private static Path extractBundled() {
        String name =
                bundledResourceName(System.getProperty("os.name"), System.getProperty("os.arch"));
        Path cacheDirectory =
                Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "redis-es-sync-" + System.getProperty("user.name", "user"));
        try {
            return extract(name, cacheDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not extract the bundled " + name + " into " + cacheDirectory + ".", e);
        }
    }

    /**
     * Copies the resource into {@code cacheDirectory} unless a complete copy is already there. Two
     * JVMs extracting at once each write a private file and move it into place atomically, so
     * neither ever runs a half-written binary.
     */
    static Path extract(String resourceName, Path cacheDirectory) throws IOException {
        URL resource = RedisExecutable.class.getClassLoader().getResource(resourceName);
        if (resource == null) {
            throw new EmbeddedServerException(
                    "The bundled Redis binary "
                            + resourceName
                            + " is not on the classpath; is com.github.codemonstur:embedded-redis"
                            + " missing?");
        }
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        Path target = cacheDirectory.resolve(resourceName);
        if (Files.isExecutable(target) && size >= 0 && Files.size(target) == size) {
            connection.getInputStream().close();
            return target;
        }
        Files.createDirectories(cacheDirectory);
        Path partial = Files.createTempFile(cacheDirectory, resourceName, ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            if (!partial.toFile().setExecutable(true, true)) {
                throw new IOException("Could not make " + partial + " executable.");
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }
}
