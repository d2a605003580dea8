package io.github.redisessync.job.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.MiniClusters;
import io.github.redisessync.job.testing.TestSetups;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyspace tail on a server without keyspace notifications (a private Redis of this class): the
 * job fails at start naming the setting, or sets it when allowed to.
 */
class KeyspaceNotificationsITCase {

    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceNotificationsITCase.class);

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static EmbeddedRedisServer redis;

    @BeforeAll
    static void startServerWithoutNotifications() {
        redis = EmbeddedRedisServer.builder().arguments("--notify-keyspace-events", "").start();
    }

    @AfterAll
    static void stopServer() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void failsAtStartNamingNotifyKeyspaceEvents() throws Exception {
        setNotifications("");
        StreamExecutionEnvironment env = job(false);

        long start = System.nanoTime();
        assertThatThrownBy(() -> env.execute("notifications off"))
                .rootCause()
                .hasMessageContaining("notify-keyspace-events")
                .hasMessageContaining("CONFIG SET notify-keyspace-events Kg$lshzxe")
                .hasMessageContaining("KEA")
                .hasMessageContaining("tail.configure-notifications");
        LOG.info(
                "The job failed {} ms after submission, naming notify-keyspace-events",
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void setsTheMissingFlagsWhenAllowed() throws Exception {
        setNotifications("Ex");
        StreamExecutionEnvironment env = job(true);

        env.execute("notifications set by the source");

        assertThat(notifications()).contains("K", "E").doesNotContain("m");
        assertThat(notifications()).matches(".*A.*|.*g.*");
    }

    /** A bounded (stop-when-idle) keyspace-tail job on the private server. */
    private static StreamExecutionEnvironment job(boolean configure) throws Exception {
        String prefix = "nke-" + UUID.randomUUID() + ":";
        SyncJobSetup settings =
                TestSetups.of(
                                redis.uri(),
                                TestServices.elasticsearch().url(),
                                List.of(
                                        new IndexRule(
                                                KeyPattern.of(prefix + "*"),
                                                "nke-"
                                                        + UUID.randomUUID()
                                                                .toString()
                                                                .substring(0, 8),
                                                IndexDefinition.dynamic())),
                                100,
                                100,
                                Duration.ofSeconds(1))
                        .withTail(RedisTailMode.KEYSPACE, null, configure, true);
        SyncJobFactory.prepareIndexes(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        return env;
    }

    private static void setNotifications(String flags) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().configSet("notify-keyspace-events", flags);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String notifications() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection
                    .sync()
                    .configGet("notify-keyspace-events")
                    .get("notify-keyspace-events");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
