package io.github.redisessync.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocumentSinkFactory;
import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets from files, through the whole job: a password-protected Redis (requirepass, and an ACL
 * user) and an Elasticsearch 8.19.21 with security on (basic auth), each reached with a {@code
 * ${file:...}} reference in its URL. Afterwards neither the test log ({@code target/test.log}) nor
 * the job's configuration holds a password.
 */
class SecretsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path secrets;

    @Test
    void jobReadsAPasswordProtectedRedisAsDefaultAndAsAclUserWithoutLeakingThePasswords()
            throws Exception {
        String defaultPassword = "req-" + UUID.randomUUID();
        String aclPassword = "acl-" + UUID.randomUUID();
        try (EmbeddedRedisServer redis =
                EmbeddedRedisServer.start(
                        "--requirepass",
                        defaultPassword,
                        "--user",
                        "sync",
                        "on",
                        ">" + aclPassword,
                        "~*",
                        "&*",
                        "+@all")) {
            String name = TestServices.uniqueName("secret-redis");
            RedisClient client =
                    RedisClient.create(
                            "redis://:" + defaultPassword + "@127.0.0.1:" + redis.port());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                for (int i = 0; i < 20; i++) {
                    connection.sync().hset(name + ":user:" + i, Map.of("name", "user " + i));
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            Path requirePass = secret("redis-password", defaultPassword);
            Path aclPass = secret("redis-acl-password", aclPassword);

            String asDefault = name + "-default";
            String asAclUser = name + "-acl";
            String esUrl = TestServices.elasticsearch().url();
            runJob(
                    "redis://:${file:" + requirePass + "}@127.0.0.1:" + redis.port(),
                    esUrl,
                    name,
                    asDefault,
                    defaultPassword);
            runJob(
                    "redis://sync:${file:" + aclPass + "}@127.0.0.1:" + redis.port(),
                    esUrl,
                    name,
                    asAclUser,
                    aclPassword);

            assertThat(TestServices.elasticsearch().count(asDefault)).isEqualTo(20);
            assertThat(TestServices.elasticsearch().count(asAclUser)).isEqualTo(20);
            assertLogHasNo(defaultPassword, aclPassword);
        }
    }

    @Test
    void sinkWritesToElasticsearch8WithBasicAuthFromAFileWithoutLeakingThePassword()
            throws Exception {
        String password = "es-" + UUID.randomUUID();
        try (ElasticsearchDistributionNode es =
                ElasticsearchDistributionNode.builder().basicAuth("sync", password).start()) {
            Path file = secret("es-password", password);
            String url = "http://sync:${file:" + file + "}@127.0.0.1:" + es.port();
            String index = TestServices.uniqueName("secret-es");
            try (ElasticsearchIndexManager indexes =
                    ElasticsearchIndexManager.create(url, Duration.ofSeconds(5))) {
                assertThat(indexes.serverVersion()).isEqualTo(es.version());
                indexes.createIndexIfAbsent(index, IndexDefinition.dynamic());
            }
            Configuration options = new Configuration();
            options.set(ElasticsearchSinkOptions.HOSTS, List.of(url));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.enableCheckpointing(200);
            RedisToElasticsearchJob.writeDocuments(
                    env.fromData(
                                    List.of(
                                            DocumentAction.index(
                                                    index,
                                                    "1",
                                                    1,
                                                    "user:1",
                                                    "{\"name\":\"one\"}"
                                                            .getBytes(StandardCharsets.UTF_8))),
                                    TypeInformation.of(DocumentAction.class))
                            .setParallelism(1),
                    ElasticsearchDocumentSinkFactory.create(options));
            assertConfigurationHasNo(env, password);
            env.execute("basic auth on Elasticsearch 8");

            ElasticsearchHttp http = new ElasticsearchHttp(URI.create(es.urlWithCredentials()));
            http.send("POST", "/" + index + "/_refresh", null);
            assertThat(http.send("GET", "/" + index + "/_doc/1", null).body())
                    .contains("\"name\":\"one\"");
            assertLogHasNo(password);
        }
    }

    private static void runJob(
            String redisUri, String esUrl, String name, String index, String password)
            throws Exception {
        SyncJobSetup settings =
                TestSetups.builder(
                                redisUri,
                                esUrl,
                                List.of(
                                        new IndexRule(
                                                KeyPattern.of(name + ":user:*"),
                                                index,
                                                IndexDefinition.dynamic())))
                        // The default, spelled out: a snapshot, which ends.
                        .tail(RedisTailMode.NONE, "unused", false)
                        .build();
        SyncJobFactory.prepareIndexes(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        assertConfigurationHasNo(env, password);
        env.execute("secrets " + index);
    }

    /** What the web UI shows of a job: its configuration and global job parameters. */
    private static void assertConfigurationHasNo(StreamExecutionEnvironment env, String secret) {
        assertThat(env.getConfig().getGlobalJobParameters().toMap().toString())
                .doesNotContain(secret);
        assertThat(env.getConfig().toString()).doesNotContain(secret);
        assertThat(env.getConfiguration().toString()).doesNotContain(secret);
        assertThat(env.getStreamGraph(false).getJobGraph().getJobConfiguration().toString())
                .doesNotContain(secret);
    }

    private static void assertLogHasNo(String... secrets) throws Exception {
        Path log = Path.of(System.getProperty("redis-es-sync.test.log", "target/test.log"));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        // Not vacuous: this run's servers and writers are in it.
        assertThat(text).contains("Sink writer talks to Elasticsearch");
        for (String secret : secrets) {
            assertThat(text.contains(secret)).as("the log holds a password").isFalse();
        }
    }

    private Path secret(String name, String value) throws Exception {
        return Files.writeString(secrets.resolve(name), value + "\n");
    }
}
