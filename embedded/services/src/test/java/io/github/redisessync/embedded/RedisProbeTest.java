package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RESP and INFO parsing of {@link RedisProbe}, and how the Redis command is shown. */
class RedisProbeTest {

    private static final String INFO =
            "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n";

    @Test
    void readsTheVersionFromInfoServer() throws IOException {
        assertThat(RedisProbe.parseVersion(INFO)).isEqualTo("7.0.15");
    }

    @Test
    void failsWhenInfoHasNoVersion() {
        assertThatThrownBy(() -> RedisProbe.parseVersion("# Server\r\nredis_mode:standalone\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("redis_version");
    }

    @Test
    void readsEachKindOfReply() throws IOException {
        assertThat(read("+PONG\r\n")).isEqualTo("PONG");
        assertThat(read(":42\r\n")).isEqualTo("42");
        assertThat(read("$5\r\nhel\r\n\r\n")).isEqualTo("hel\r\n");
        assertThat(read("$-1\r\n")).isNull();
        assertThat(read("*2\r\n$6\r\nnotify\r\n+KEA\r\n")).isEqualTo("notify\nKEA");
    }

    @Test
    void turnsAnErrorReplyIntoAnExceptionNamingTheCommand() {
        assertThatThrownBy(() -> read("-NOAUTH Authentication required.\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessage("PING failed: NOAUTH Authentication required.");
    }

    @Test
    void rejectsAUriThatIsNotRedis() {
        assertThatThrownBy(
                        () ->
                                RedisProbe.version(
                                        URI.create("http://127.0.0.1:6379"), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("http://127.0.0.1:6379");
    }

    @Test
    void showsTheCommandWithEmptyArgumentsAndWithoutThePassword() {
        List<String> command =
                List.of("redis-server", "--save", "", "--requirepass", "secret", "--port", "1");

        assertThat(EmbeddedRedisServer.describe(command))
                .isEqualTo("redis-server --save \"\" --requirepass **** --port 1");
        assertThat(EmbeddedRedisServer.passwordIn(command)).isEqualTo("secret");
        assertThat(EmbeddedRedisServer.passwordIn(List.of("--requirepass"))).isNull();
    }

    private static String read(String reply) throws IOException {
        return RedisProbe.readReply(
                new ByteArrayInputStream(reply.getBytes(StandardCharsets.UTF_8)), "PING");
    }
}
