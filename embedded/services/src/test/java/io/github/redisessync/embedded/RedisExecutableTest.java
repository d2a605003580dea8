package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and extracting a {@code redis-server} without running it. */
class RedisExecutableTest {

    @TempDir Path temp;

    @Test
    void findsAnExecutableRedisServerOnThePath() throws Exception {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Path server = Files.createFile(bin.resolve("redis-server"));
        assertThat(server.toFile().setExecutable(true)).isTrue();

        String path = empty + File.pathSeparator + File.pathSeparator + bin;

        assertThat(RedisExecutable.findOnPath(path)).contains(server.toAbsolutePath());
    }

    @Test
    void ignoresANonExecutableFileAndAnEmptyPath() throws Exception {
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Files.createFile(bin.resolve("redis-server"));

        assertThat(RedisExecutable.findOnPath(bin.toString())).isEmpty();
        assertThat(RedisExecutable.findOnPath("")).isEmpty();
        assertThat(RedisExecutable.findOnPath(null)).isEmpty();
    }

    @Test
    void namesTheBundledBinaryForEachSupportedPlatform() {
        assertThat(RedisExecutable.bundledResourceName("Linux", "amd64"))
                .isEqualTo("redis-server-6.2.6-v5-linux-amd64");
        assertThat(RedisExecutable.bundledResourceName("Linux", "aarch64"))
                .isEqualTo("redis-server-6.2.7-linux-arm64");
        assertThat(RedisExecutable.bundledResourceName("Mac OS X", "x86_64"))
                .isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
        assertThat(RedisExecutable.bundledResourceName("Mac OS X", "aarch64"))
                .isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
    }

    @Test
    void everyNamedBinaryIsInTheEmbeddedRedisJar() {
        for (String[] platform :
                new String[][] {
                    {"Linux", "amd64"},
                    {"Linux", "aarch64"},
                    {"Mac OS X", "x86_64"},
                    {"Mac OS X", "aarch64"}
                }) {
            String name = RedisExecutable.bundledResourceName(platform[0], platform[1]);
            assertThat(getClass().getClassLoader().getResource(name)).as(name).isNotNull();
        }
    }

    @Test
    void refusesAnUnsupportedPlatformWithAHint() {
        assertThatThrownBy(() -> RedisExecutable.bundledResourceName("Windows 11", "amd64"))
                .isInstanceOf(EmbeddedServerException.class)
                .hasMessageContaining("Windows 11/amd64")
                .hasMessageContaining("Install Redis");
    }

    @Test
    void extractsTheBundledBinaryOnceAndReusesIt() throws Exception {
        String name = RedisExecutable.bundledResourceName("Linux", "amd64");

        Path first = RedisExecutable.extract(name, temp.resolve("cache"));
        long modified = Files.getLastModifiedTime(first).toMillis();
        Path second = RedisExecutable.extract(name, temp.resolve("cache"));

        assertThat(second).isEqualTo(first);
        assertThat(Files.isExecutable(first)).isTrue();
        assertThat(Files.getLastModifiedTime(second).toMillis()).isEqualTo(modified);
        try (var files = Files.list(temp.resolve("cache"))) {
            assertThat(files).containsExactly(first);
        }
    }

    @Test
    void reExtractsATruncatedCopy() throws Exception {
        String name = RedisExecutable.bundledResourceName("Linux", "amd64");
        Path cache = Files.createDirectory(temp.resolve("cache"));
        Path truncated = Files.write(cache.resolve(name), new byte[] {1, 2, 3});
        assertThat(truncated.toFile().setExecutable(true)).isTrue();

        Path extracted = RedisExecutable.extract(name, cache);

        assertThat(Files.size(extracted)).isGreaterThan(1_000_000L);
    }
}
