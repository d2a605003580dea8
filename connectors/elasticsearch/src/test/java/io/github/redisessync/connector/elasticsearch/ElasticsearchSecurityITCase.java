package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.testing.TestCertificates;
import io.github.redisessync.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS host name verification, mutual TLS and API keys on a real Elasticsearch 8.19.21 (the
 * integ-test-zip), one node for all: HTTPS with a certificate of a throw-away CA that names only
 * {@code localhost}, client certificates of the same CA required ({@code client_authentication:
 * required}), and a {@code .security} index, so that it can create API keys.
 *
 * <p>{@code https://localhost} is the matching host, {@code https://127.0.0.1} the same server, the
 * same trusted chain, under a name the certificate does not hold: only the host name differs.
 */
class ElasticsearchSecurityITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final Pattern ENCODED = Pattern.compile("\"encoded\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir static Path dir;

    static TestCertificates tls;
    static TestCertificates.Issued client;
    static ElasticsearchDistributionNode es;
    static String password;

    @BeforeAll
    static void startElasticsearch() {
        tls = TestCertificates.create(dir);
        TestCertificates.Issued localhostOnly =
                tls.issue("localhost-only", "localhost", "dns:localhost", "serverAuth");
        client = tls.issue("client", "redis-es-sync", null, "clientAuth");
        password = "sec-" + UUID.randomUUID();
        es =
                ElasticsearchDistributionNode.builder()
                        .basicAuth("admin", password)
                        .https(localhostOnly.certificate(), localhostOnly.key(), tls.ca())
                        .requireClientCertificates(client.certificate(), client.key())
                        .host("localhost")
                        .apiKeys()
                        .start();
    }

    @AfterAll
    static void stopElasticsearch() {
        if (es != null) {
            es.close();
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefusedNamingTheUrlAndTheMismatch() throws Exception {
        String mismatched = withClientCertificate(url("127.0.0.1"));

        assertThatThrownBy(() -> serverVersion(mismatched, Map.of()))
                .isInstanceOf(ElasticsearchAccessException.class)
                .hasMessageContaining(
                        "Cannot reach Elasticsearch at https://***@127.0.0.1:" + es.port())
                .hasMessageContaining("Host name '127.0.0.1' does not match the certificate")
                .hasMessageContaining("hostname mismatch")
                .hasMessageNotContaining(password);
        // The sink's writers verify the host too.
        assertThatThrownBy(() -> writeThroughTheSink(mismatched, Map.of(), "never-written", 1))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "Cannot read the version of Elasticsearch at"
                                                        + " https://127.0.0.1:"
                                                        + es.port())
                                        .contains("hostname mismatch"));
        // Same CA, same certificate, the host it names: accepted.
        assertThat(serverVersion(withClientCertificate(url("localhost")), Map.of()))
                .isEqualTo(es.version());
    }

    @Test
    void theSinkWritesWithAClientCertificateAndWithoutOneTheErrorSaysSo() throws Exception {
        String index = TestServices.uniqueName("mtls");
        writeThroughTheSink(withClientCertificate(url("localhost")), Map.of(), index, 20);
        assertThat(count(index)).isEqualTo(20);

        // The files from the environment instead of the URL, as on a task manager.
        Map<String, String> environment =
                Map.of(
                        "ES_CA_FILE", tls.ca().toString(),
                        "ES_CLIENT_CERT_FILE", client.certificate().toString(),
                        "ES_CLIENT_KEY_FILE", client.key().toString());
        assertThat(serverVersion(url("localhost"), environment)).isEqualTo(es.version());

        String withoutClientCertificate =
                ElasticsearchUrls.withCaFile(url("localhost"), tls.ca().toString());
        assertThatThrownBy(() -> serverVersion(withoutClientCertificate, Map.of()))
                .hasMessageContaining(
                        "Cannot reach Elasticsearch at https://***@localhost:" + es.port())
                .hasMessageContaining("requires a client certificate")
                .hasMessageContaining("ES_CLIENT_CERT_FILE");
        assertThatThrownBy(() -> writeThroughTheSink(withoutClientCertificate, Map.of(), index, 1))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("Cannot read the version of Elasticsearch at")
                                        .contains("requires a client certificate"));
    }

    @Test
    void anApiKeyFromEsApiKeyWritesAndAWrongOneIsRefused() throws Exception {
        String apiKey = createApiKey("redis-es-sync-" + UUID.randomUUID());
        // No user-info: the key is the only credential.
        String url = withClientCertificate("https://localhost:" + es.port());
        String index = TestServices.uniqueName("api-key");

        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(
                        url, Duration.ofSeconds(10), Map.of("ES_API_KEY", apiKey))) {
            assertThat(indexes.serverVersion()).isEqualTo(es.version());
            assertThat(indexes.createIndexIfAbsent(index, IndexDefinition.dynamic())).isTrue();
        }
        writeThroughTheSink(url, Map.of("ES_API_KEY", apiKey), index, 10);
        assertThat(count(index)).isEqualTo(10);

        String wrongKey =
                java.util.Base64.getEncoder()
                        .encodeToString("no-such-id:no-such-key".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> serverVersion(url, Map.of("ES_API_KEY", wrongKey)))
                .hasMessageContaining("Elasticsearch at https://localhost:" + es.port())
                .hasMessageContaining("401")
                .hasMessageContaining("API key")
                .hasMessageNotContaining(wrongKey);
        assertThatThrownBy(() -> writeThroughTheSink(url, Map.of("ES_API_KEY", wrongKey), index, 1))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("Cannot read the version of Elasticsearch at")
                                        .contains("401")
                                        .contains("API key"));
        assertLogHasNo(apiKey, wrongKey, keyMaterial(client.key()));
    }

    /** The test log (Flink's and the writers' lines included) holds none of {@code secrets}. */
    private static void assertLogHasNo(String... secrets) throws Exception {
        Path log = Path.of(System.getProperty("redis-es-sync.test.log", "target/test.log"));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        // Not vacuous: this run's writers are in it, with the paths of the TLS files.
        assertThat(text)
                .contains("Sink writer talks to Elasticsearch")
                .contains("client certificate");
        for (String secret : secrets) {
            assertThat(text.contains(secret)).as("the log holds a secret").isFalse();
        }
    }

    /** A line from the middle of a PEM key: what a leak of it would contain. */
    private static String keyMaterial(Path pem) throws Exception {
        return Files.readAllLines(pem).get(5);
    }

    /** {@code https://admin:<password>@<host>:<port>}. */
    private static String url(String host) {
        return es.urlWithCredentials().replace("@localhost:", "@" + host + ":");
    }

    private static String withClientCertificate(String url) {
        String withCa = ElasticsearchUrls.withCaFile(url, tls.ca().toString());
        String withCertificate =
                ElasticsearchUrls.withParameter(
                        withCa,
                        ElasticsearchUrls.CLIENT_CERT_FILE_PARAMETER,
                        client.certificate().toString());
        return ElasticsearchUrls.withParameter(
                withCertificate,
                ElasticsearchUrls.CLIENT_KEY_FILE_PARAMETER,
                client.key().toString());
    }

    private static String serverVersion(String url, Map<String, String> environment)
            throws Exception {
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(url, Duration.ofSeconds(10), environment)) {
            return indexes.serverVersion();
        }
    }

    /** Writes {@code documents} documents through the document sink in a MiniCluster job. */
    private static void writeThroughTheSink(
            String url, Map<String, String> environment, String index, int documents)
            throws Exception {
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of(url));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Configuration noRestart = new Configuration();
        noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(noRestart);
        List<DocumentAction> actions =
                IntStream.range(0, documents)
                        .mapToObj(
                                i ->
                                        DocumentAction.index(
                                                index,
                                                String.valueOf(i),
                                                1,
                                                "user:" + i,
                                                ("{\"n\":" + i + "}")
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .toList();
        env.fromData(actions, TypeInformation.of(DocumentAction.class))
                .sinkTo(
                        ElasticsearchDocumentSinkFactory.create(
                                options, new LogRejectedDocuments(), environment))
                .uid("elasticsearch-sink"); // its version gate's state is named after it
        env.execute("security " + index);
    }

    private static ElasticsearchHttp admin() {
        return new ElasticsearchHttp(
                URI.create(es.urlWithCredentials()),
                Duration.ofSeconds(30),
                ElasticsearchTls.of(withClientCertificate(es.url()), Map.of()).sslContext());
    }

    private static long count(String index) throws Exception {
        ElasticsearchHttp http = admin();
        http.send("POST", "/" + index + "/_refresh", null);
        String body = http.send("GET", "/" + index + "/_count", null).body();
        Matcher count = Pattern.compile("\"count\":(\\d+)").matcher(body);
        assertThat(count.find()).as(body).isTrue();
        return Long.parseLong(count.group(1));
    }

    /** A real API key, created by the superuser: the encoded form Elasticsearch returns. */
    private static String createApiKey(String name) throws Exception {
        ElasticsearchHttp.Response response =
                admin().send("POST", "/_security/api_key", "{\"name\":\"" + name + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Matcher encoded = ENCODED.matcher(response.body());
        assertThat(encoded.find()).as(response.body()).isTrue();
        return encoded.group(1);
    }
}
