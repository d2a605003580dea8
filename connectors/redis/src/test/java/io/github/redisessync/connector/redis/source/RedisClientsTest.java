package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA file of a rediss:// URI: where it comes from, and that Lettuce never sees it. */
class RedisClientsTest {

    @TempDir Path directory;

    @Test
    void caFileTravelsInTheUriAndLettuceParsesItWithout() {
        String uri =
                RedisClients.withCaFile(
                        "rediss://:pw@redis:6380/2?timeout=5s", "/etc/my ca/ca.pem");

        assertThat(uri)
                .isEqualTo("rediss://:pw@redis:6380/2?timeout=5s&ca-file=/etc/my%20ca/ca.pem");
        assertThat(RedisClients.caFile(uri, Map.of())).isEqualTo("/etc/my ca/ca.pem");
        assertThat(RedisClients.withoutCaFile(uri))
                .isEqualTo("rediss://:pw@redis:6380/2?timeout=5s");
        assertThat(RedisUris.parse(uri).getDatabase()).isEqualTo(2);
        assertThat(RedisUris.parse(uri).isSsl()).isTrue();
        assertThat(RedisClients.withoutCaFile(RedisClients.withCaFile("rediss://r:1", "/a.pem")))
                .isEqualTo("rediss://r:1");
    }

    @Test
    void theUriWinsOverTheEnvironment() {
        Map<String, String> env = Map.of("REDIS_CA_FILE", "/env/ca.pem");

        assertThat(RedisClients.caFile("rediss://r:1?ca-file=/uri.pem", env)).isEqualTo("/uri.pem");
        assertThat(RedisClients.caFile("rediss://r:1", env)).isEqualTo("/env/ca.pem");
        assertThat(RedisClients.caFile("rediss://r:1", Map.of())).isNull();
    }

    @Test
    void aCaFileWithoutCertificatesIsNamed() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty.pem"), "");

        assertThatThrownBy(() -> RedisClients.create("rediss://r:1?ca-file=" + empty))
                .hasMessageContaining("The Redis CA file " + empty);
        assertThatThrownBy(
                        () ->
                                RedisClients.create(
                                        "rediss://r:1?ca-file=" + directory.resolve("no")))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void anUntrustedCertificateIsNamedWithTheSetting() {
        Exception e =
                new RedisConnectionException(
                        "Unable to connect to r:1",
                        new SSLHandshakeException("PKIX path building failed")
                                .initCause(new CertPathBuilderException("no valid path")));

        assertThat(RedisClients.describe(e))
                .startsWith("Unable to connect to r:1: no valid path")
                .contains("redis.ca-file or REDIS_CA_FILE");
        assertThat(RedisClients.describe(new RuntimeException("refused"))).isEqualTo("refused");
    }
}
