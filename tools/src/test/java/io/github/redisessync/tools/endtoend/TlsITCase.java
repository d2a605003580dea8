package io.github.redisessync.tools.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.ElasticsearchTls;
import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.config.ConfigLoader;
import io.github.redisessync.job.config.SettingsFactory;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.testing.TestCertificates;
import io.github.redisessync.testing.TestServices;
import io.github.redisessync.tools.verify.SyncVerifier;
import io.github.redisessync.tools.verify.VerifyReport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with a CA certificate file on real servers: a Redis 7 listening only on its TLS port and an
 * Elasticsearch 8.19.21 with HTTPS and basic auth, both with a certificate of a throw-away CA (SAN
 * 127.0.0.1). With {@code redis.ca-file} and {@code elasticsearch.ca-file} (from {@code
 * REDIS_CA_FILE} and {@code ES_CA_FILE}), the endpoint checks, the index manager, the whole job
 * (snapshot and keyspace tail) and verify work; without them each fails naming the URL and the
 * certificate problem.
 */
class TlsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir static Path dir;

    static TestCertificates tls;
    static EmbeddedRedisServer redis;
    static ElasticsearchDistributionNode es;
    static String esUrl;

    @BeforeAll
    static void startServers() {
        tls = TestCertificates.create(dir);
        redis = EmbeddedRedisServer.builder().tls(tls.certificate(), tls.key(), tls.ca()).start();
        String password = "tls-" + UUID.randomUUID();
        es =
                ElasticsearchDistributionNode.builder()
                        .basicAuth("sync", password)
                        .https(tls.certificate(), tls.key(), tls.ca())
                        .start();
        esUrl = es.urlWithCredentials();
    }

    @AfterAll
    static void stopServers() {
        if (es != null) {
            es.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theJobSyncsAndVerifiesOverRedisTlsAndElasticsearchHttpsWithTheCaFiles() throws Exception {
        String name = TestServices.uniqueName("tls");
        RedisClient client =
                RedisClients.create(RedisClients.withCaFile(redis.uri(), tls.ca().toString()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 50; i++) {
                connection.sync().hset(name + ":user:" + i, Map.of("name", "user " + i));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        Map<String, String> env =
                Map.of("REDIS_CA_FILE", tls.ca().toString(), "ES_CA_FILE", tls.ca().toString());
        SyncJobSetup settings = settings(name, env);
        assertThat(settings.redisUri()).startsWith("rediss://").contains("ca-file=");

        assertThat(EndpointChecks.redisVersion(settings.redisUri())).isEqualTo(redis.version());
        assertThat(EndpointChecks.elasticsearchVersion(settings.elasticsearchUrl()))
                .isEqualTo(es.version());
        SyncJobFactory.prepareIndexes(settings);
        run(settings, "tls");

        ElasticsearchHttp http =
                new ElasticsearchHttp(
                        URI.create(esUrl),
                        Duration.ofSeconds(30),
                        ElasticsearchTls.sslContext(tls.ca().toString()));
        http.send("POST", "/" + name + "/_refresh", null);
        assertThat(http.send("GET", "/" + name + "/_count", null).body()).contains("\"count\":50");
        List<VerifyReport> reports = new SyncVerifier(settings, 100, 5, false).run();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).isEqual())
                .as("verify over TLS finds Redis and ES equal")
                .isTrue();
    }

    @Test
    void withoutTheCaFilesEveryClientFailsNamingTheUrlAndTheCertificate() throws Exception {
        String name = TestServices.uniqueName("no-ca");
        SyncJobSetup settings = settings(name, Map.of());

        assertThatThrownBy(() -> EndpointChecks.redisVersion(settings.redisUri()))
                .hasMessageContaining("Cannot reach Redis at " + redis.uri())
                .hasMessageContaining("certification path")
                .hasMessageContaining("redis.ca-file or REDIS_CA_FILE");
        assertThatThrownBy(() -> EndpointChecks.elasticsearchVersion(settings.elasticsearchUrl()))
                .hasMessageContaining(
                        "Cannot reach Elasticsearch at https://***@127.0.0.1:" + es.port())
                .hasMessageContaining("certification path")
                .hasMessageContaining("elasticsearch.ca-file or ES_CA_FILE");

        // The job itself: the source's connection fails first, naming the URL and the cause.
        SyncJobSetup esOnly = settings(name, Map.of("ES_CA_FILE", tls.ca().toString()));
        SyncJobFactory.prepareIndexes(esOnly);
        assertThatThrownBy(() -> run(esOnly, "no Redis CA"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("rediss://127.0.0.1:" + redis.port())
                                        .contains("certification path")
                                        .contains("REDIS_CA_FILE"));
        // And the sink's writer, when only Redis is trusted.
        SyncJobSetup redisOnly = settings(name, Map.of("REDIS_CA_FILE", tls.ca().toString()));
        assertThatThrownBy(() -> run(redisOnly, "no Elasticsearch CA"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "Cannot read the version of Elasticsearch at"
                                                        + " https://127.0.0.1:"
                                                        + es.port())
                                        .contains("ES_CA_FILE"));
    }

    /** Settings from a YAML file and {@code env}, as the CLI builds them. */
    private static SyncJobSetup settings(String name, Map<String, String> env) throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve(name + "-" + env.size() + "-" + env.hashCode() + ".yaml"),
                        "redis: {url: '"
                                + redis.uri()
                                + "'}\n"
                                + "elasticsearch: {url: '"
                                + esUrl
                                + "'}\n"
                                + "source: {tail: keyspace}\n"
                                + "mappings:\n  - pattern: '"
                                + name
                                + ":user:*'\n    index: "
                                + name
                                + "\n");
        return new SettingsFactory(ConfigLoader.read(file).applyEnvironment(env).load(), dir)
                .settings(null, null, true);
    }

    private static void run(SyncJobSetup settings, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SyncJobFactory.configure(env, settings);
        Configuration noRestart = new Configuration();
        noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(noRestart);
        SyncJobFactory.create(settings).addTo(env);
        env.execute(name);
    }
}
