package io.github.redisessync.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * elasticsearch.client-cert-file and elasticsearch.client-key-file (mutual TLS): checked before any
 * connection, folded into the URL beside the CA file, never quoting the key.
 */
class ClientCertificateSettingsTest {
    private static final Path CONF = Path.of("..", "conf");

    @TempDir Path dir;

    @Test
    void theClientCertificateFromTheEnvironmentTravelsInTheUrl() {
        TestCertificates tls = TestCertificates.create(dir);
        TestCertificates.Issued client = tls.issue("client", "sync", null, "clientAuth");
        SyncJobSetup settings =
                settings(
                        "https://es:9200",
                        Map.of(
                                "ES_CA_FILE", tls.ca().toString(),
                                "ES_CLIENT_CERT_FILE", client.certificate().toString(),
                                "ES_CLIENT_KEY_FILE", client.key().toString()));

        String expected =
                "https://es:9200?ca-file="
                        + tls.ca()
                        + "&client-cert-file="
                        + client.certificate()
                        + "&client-key-file="
                        + client.key();
        assertThat(settings.elasticsearchUrl()).isEqualTo(expected);
        assertThat(settings.sink().get(ElasticsearchSinkOptions.HOSTS)).containsExactly(expected);
    }

    @Test
    void aCertificateWithoutKeyABadKeyOrPlainHttpIsNamedBeforeAnyConnection() throws Exception {
        TestCertificates tls = TestCertificates.create(dir);
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "secret-looking text\n");

        assertThatThrownBy(
                        () ->
                                settings(
                                        "https://es:9200",
                                        Map.of(
                                                "ES_CLIENT_CERT_FILE",
                                                tls.certificate().toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "elasticsearch.client-cert-file (from ES_CLIENT_CERT_FILE): is set, but"
                                + " not elasticsearch.client-key-file");
        assertThatThrownBy(
                        () ->
                                settings(
                                        "https://es:9200",
                                        Map.of(
                                                "ES_CLIENT_CERT_FILE",
                                                tls.certificate().toString(),
                                                "ES_CLIENT_KEY_FILE",
                                                notAKey.toString())))
                .hasMessageContaining("elasticsearch.client-cert-file")
                .hasMessageContaining(notAKey + " (ES_CLIENT_KEY_FILE) holds no PEM private key")
                .hasMessageNotContaining("secret-looking");
        assertThatThrownBy(
                        () ->
                                settings(
                                        "http://es:9200",
                                        Map.of(
                                                "ES_CLIENT_CERT_FILE",
                                                tls.certificate().toString(),
                                                "ES_CLIENT_KEY_FILE",
                                                tls.key().toString())))
                .hasMessageContaining("does not start with https://");
    }

    private static SyncJobSetup settings(String es, Map<String, String> env) {
        return new SettingsFactory(
                        ConfigLoader.read(null).applyEnvironment(env).load(),
                        CONF.resolve("mappings"))
                .settings("redis://r:6379", es, false);
    }
}
