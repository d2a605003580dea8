package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Elasticsearch credentials come from, and that they never show in text. */
class ElasticsearchCredentialsTest {

    @TempDir Path directory;

    @Test
    void userInfoOfTheUrlIsBasicAuthAndTheUrlParsesWithoutIt() {
        ElasticsearchCredentials credentials =
                ElasticsearchCredentials.of("https://sync:p%40ss word@es:9200", Map.of());

        assertThat(decodedBasic(credentials)).isEqualTo("sync:p@ss word");
        assertThat(credentials.toString()).isEqualTo("basic auth as sync");
        assertThat(ElasticsearchUrls.parse("https://sync:${env:X}@es:9200").getHostName())
                .isEqualTo("es");
        assertThat(ElasticsearchUrls.withoutUserInfo("https://sync:pw@es:9200"))
                .isEqualTo("https://es:9200");
    }

    @Test
    void referencesReadTheEnvironmentAndFiles() throws Exception {
        Path file = directory.resolve("password");
        Files.writeString(file, "from:file\n");
        Map<String, String> environment = Map.of("ES_USER", "sync");

        ElasticsearchCredentials credentials =
                ElasticsearchCredentials.of(
                        "http://${env:ES_USER}:${file:" + file + "}@es:9200", environment);

        assertThat(decodedBasic(credentials)).isEqualTo("sync:from:file");
        String reference = "http://sync:${file:/run/secrets/es-password}@es:9200";
        assertThat(ElasticsearchUrls.parse(reference).getHostName()).isEqualTo("es");
        assertThat(ElasticsearchUrls.redact(reference)).isEqualTo("http://***@es:9200");
    }

    @Test
    void withoutUserInfoTheEnvironmentDecidesApiKeyFirst() {
        assertThat(
                        ElasticsearchCredentials.of(
                                        "http://es:9200",
                                        Map.of("ES_API_KEY", "a2V5", "ES_USERNAME", "u"))
                                .authorization())
                .contains("ApiKey a2V5");
        assertThat(
                        decodedBasic(
                                ElasticsearchCredentials.of(
                                        "http://es:9200",
                                        Map.of("ES_USERNAME", "u", "ES_PASSWORD", "secret1"))))
                .isEqualTo("u:secret1");
        assertThat(ElasticsearchCredentials.of("http://es:9200", Map.of()).authorization())
                .isEmpty();
    }

    @Test
    void anUnresolvableReferenceNamesTheVariableNotAValue() {
        assertThatThrownBy(
                        () -> ElasticsearchCredentials.of("http://u:${env:NOPE}@es:9200", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("${env:NOPE}");
        assertThatThrownBy(() -> ElasticsearchCredentials.of("http://u@es:9200", Map.of()))
                .hasMessageContaining("http://***@es:9200");
    }

    private static String decodedBasic(ElasticsearchCredentials credentials) {
        String header = credentials.authorization().orElseThrow();
        assertThat(header).startsWith("Basic ");
        return new String(
                Base64.getDecoder().decode(header.substring("Basic ".length())),
                StandardCharsets.UTF_8);
    }
}
