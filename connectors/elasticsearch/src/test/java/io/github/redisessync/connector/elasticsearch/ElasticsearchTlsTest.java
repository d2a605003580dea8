package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CA file of an https:// Elasticsearch comes from, and how a bad one is reported. */
class ElasticsearchTlsTest {

    @TempDir Path directory;

    @Test
    void caFileTravelsInTheUrlAndTheHostParsesWithoutIt() {
        String url =
                ElasticsearchUrls.withCaFile("https://u:${env:P}@es:9200", "/etc/my ca/ca.pem");

        assertThat(url).isEqualTo("https://u:${env:P}@es:9200?ca-file=/etc/my%20ca/ca.pem");
        assertThat(ElasticsearchUrls.caFile(url)).isEqualTo("/etc/my ca/ca.pem");
        assertThat(ElasticsearchUrls.parse(url).toURI()).isEqualTo("https://es:9200");
        assertThat(ElasticsearchUrls.withCaFile(url, "/other.pem"))
                .isEqualTo("https://u:${env:P}@es:9200?ca-file=/other.pem");
        assertThat(ElasticsearchUrls.withoutUserInfo(url))
                .isEqualTo("https://es:9200?ca-file=/etc/my%20ca/ca.pem");
    }

    @Test
    void theUrlWinsOverTheEnvironment() {
        Map<String, String> env = Map.of("ES_CA_FILE", "/env/ca.pem");

        assertThat(ElasticsearchTls.caFile("https://es:9200?ca-file=/url/ca.pem", env))
                .isEqualTo("/url/ca.pem");
        assertThat(ElasticsearchTls.caFile("https://es:9200", env)).isEqualTo("/env/ca.pem");
        assertThat(ElasticsearchTls.caFile("https://es:9200", Map.of())).isNull();
    }

    @Test
    void clientCertificateFilesTravelInTheUrlBesideTheCaFile() {
        String url =
                ElasticsearchUrls.withParameter(
                        ElasticsearchUrls.withCaFile("https://es:9200", "/ca.pem"),
                        ElasticsearchUrls.CLIENT_CERT_FILE_PARAMETER,
                        "/client.pem");
        url = ElasticsearchUrls.withParameter(url, "client-key-file", "/client.key");

        assertThat(url)
                .isEqualTo(
                        "https://es:9200?ca-file=/ca.pem&client-cert-file=/client.pem"
                                + "&client-key-file=/client.key");
        assertThat(ElasticsearchUrls.parse(url).toURI()).isEqualTo("https://es:9200");
        assertThat(ElasticsearchUrls.withCaFile(url, "/other.pem"))
                .isEqualTo(
                        "https://es:9200?client-cert-file=/client.pem&client-key-file=/client.key"
                                + "&ca-file=/other.pem");
        assertThat(ElasticsearchTls.of(url, Map.of()))
                .hasToString("CA file /ca.pem, client certificate /client.pem (key /client.key)");
        assertThat(
                        ElasticsearchTls.of(
                                "https://es:9200",
                                Map.of(
                                        "ES_CLIENT_CERT_FILE", "/env/c.pem",
                                        "ES_CLIENT_KEY_FILE", "/env/c.key")))
                .hasToString("JVM's CAs, client certificate /env/c.pem (key /env/c.key)");
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRejectedNamingBothSettings() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchTls.of(
                                        "https://es:9200?client-cert-file=/c.pem", Map.of()))
                .hasMessageContaining("client-cert-file and client-key-file")
                .hasMessageContaining("ES_CLIENT_CERT_FILE and ES_CLIENT_KEY_FILE")
                .hasMessageContaining("not only the certificate");
    }

    @Test
    void aHostnameMismatchAndAMissingClientCertificateGetTheirOwnHints() {
        Exception mismatch =
                new java.io.IOException(
                        new javax.net.ssl.SSLPeerUnverifiedException(
                                "Certificate for <127.0.0.1> doesn't match any of the subject"
                                        + " alternative names: [localhost]"));
        Exception noClientCertificate =
                new javax.net.ssl.SSLException("Received fatal alert: certificate_required");

        assertThat(ElasticsearchTls.hint(mismatch)).contains("hostname mismatch");
        assertThat(ElasticsearchTls.hint(noClientCertificate))
                .contains("requires a client certificate")
                .contains("ES_CLIENT_CERT_FILE");
    }

    @Test
    void anotherParameterIsRejectedNamingTheUrl() {
        assertThatThrownBy(() -> ElasticsearchUrls.parse("https://u:secret@es:9200?pretty=true"))
                .hasMessageContaining("'https://***@es:9200?pretty=true'")
                .hasMessageContaining(
                        "its parameters may be ca-file, client-cert-file, client-key-file, not"
                                + " 'pretty'")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aMissingOrEmptyCaFileIsNamed() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty.pem"), "");
        Path missing = directory.resolve("missing.pem");

        assertThatThrownBy(() -> ElasticsearchTls.sslContext(missing.toString()))
                .hasMessageContaining("The CA file " + missing + " cannot be read");
        assertThatThrownBy(() -> ElasticsearchTls.sslContext(empty.toString()))
                .hasMessageContaining("The CA file " + empty);
    }

    @Test
    void aCertificateErrorGetsAHintNamingTheSetting() {
        Exception untrusted =
                new java.io.IOException(
                        new SSLHandshakeException("PKIX path building failed")
                                .initCause(
                                        new java.security.cert.CertPathBuilderException(
                                                "unable to find valid certification path")));

        assertThat(ElasticsearchTls.hint(untrusted))
                .contains("elasticsearch.ca-file")
                .contains("ES_CA_FILE");
        assertThat(ElasticsearchTls.hint(new java.net.ConnectException("refused"))).isEmpty();
    }
}
