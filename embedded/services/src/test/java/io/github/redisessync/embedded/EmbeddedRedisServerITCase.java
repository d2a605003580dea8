package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code redis-server} processes: the PATH's (or bundled) one and the bundled one. */
class EmbeddedRedisServerITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir Path temp;

    @Test
    void answersOnALoopbackPortWithKeyspaceNotificationsAndNoPersistence() throws IOException {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(config(redis, null, "notify-keyspace-events")).contains("AKE");
            assertThat(config(redis, null, "save")).isEqualTo("save\n");
            assertThat(config(redis, null, "appendonly")).isEqualTo("appendonly\nno");
        }
    }

    @Test
    void twoServersRunSideBySideInTheirOwnDirectories() {
        try (EmbeddedRedisServer first = EmbeddedRedisServer.start();
                EmbeddedRedisServer second = EmbeddedRedisServer.start()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(first.directory()).isNotEqualTo(second.directory());
        }
    }

    @Test
    void passesExtraArgumentsSuchAsAPassword() throws IOException {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start("--requirepass", "s3cret")) {
            assertThat(RedisProbe.version(redis.host(), redis.port(), "s3cret", TIMEOUT))
                    .isEqualTo(redis.version());
            assertThatThrownBy(() -> RedisProbe.version(redis.host(), redis.port(), null, TIMEOUT))
                    .hasMessageContaining("NOAUTH");
        }
    }

    @Test
    void runsTheBundledBinary() throws IOException {
        String name =
                RedisExecutable.bundledResourceName(
                        System.getProperty("os.name"), System.getProperty("os.arch"));
        Path bundled = RedisExecutable.extract(name, temp);

        try (EmbeddedRedisServer redis =
                EmbeddedRedisServer.builder().executable(bundled).start()) {
            assertThat(redis.executable()).isEqualTo(bundled);
            assertThat(redis.version()).startsWith("6.2.");
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectoryOnce() {
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        ProcessHandle server = redis.process().descendants().findFirst().orElseThrow();

        redis.close();
        redis.close();

        assertThat(redis.process().isAlive()).isFalse();
        assertThat(server.isAlive()).isFalse();
        assertThat(redis.directory()).doesNotExist();
        assertThatThrownBy(() -> RedisProbe.version(redis.host(), redis.port(), null, TIMEOUT))
                .isInstanceOf(IOException.class);
    }

    @Test
    void stopsWhenItsParentStopsWatching() throws Exception {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
            ProcessHandle server = redis.process().descendants().findFirst().orElseThrow();

            // What happens to the pipe when this JVM is killed with SIGKILL.
            redis.process().getOutputStream().close();

            assertThat(server.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive())
                    .isFalse();
        }
    }

    @Test
    void aServerThatCannotStartReportsTheCommandAndItsOutput() throws IOException {
        long before = countRedisDirectories();

        assertThatThrownBy(() -> EmbeddedRedisServer.start("--no-such-option", "yes"))
                .isInstanceOf(EmbeddedServerException.class)
                .hasMessageContaining("--no-such-option yes")
                .hasMessageContaining("--notify-keyspace-events KEA")
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-option");
        assertThat(countRedisDirectories()).isEqualTo(before);
    }

    private static String config(EmbeddedRedisServer redis, String password, String name)
            throws IOException {
        return RedisProbe.command(
                redis.host(), redis.port(), false, null, password, TIMEOUT, "CONFIG", "GET", name);
    }

    /** Only this JVM's: other runs on the machine create and delete theirs meanwhile. */
    private static long countRedisDirectories() throws IOException {
        String ours = String.valueOf(ProcessHandle.current().pid());
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("redis-es-sync-redis-"))
                    .filter(p -> ours.equals(owner(p)))
                    .count();
        }
    }

    private static String owner(Path directory) {
        try {
            return Files.readString(directory.resolve(ProcessSupport.OWNER_FILE)).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
