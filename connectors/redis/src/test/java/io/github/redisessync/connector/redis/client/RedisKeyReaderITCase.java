package io.github.redisessync.connector.redis.client;

import static io.github.redisessync.connector.redis.source.RedisTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Runs {@link RedisKeyReader} and {@link RedisConnection} against a real Redis. */
class RedisKeyReaderITCase {

    private static Configuration config(String uri) {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, uri);
        return config;
    }

    @Test
    void readsAMissingKeyAsADelete() throws Exception {
        byte[] missing = utf8(RedisTestClient.uniquePrefix("missing") + "gone");
        try (RedisConnection connection = RedisConnection.open(config(RedisTestClient.uri()), 0);
                RedisTestClient redis = new RedisTestClient(0)) {
            long before = redis.serverTimeMicros();

            List<RedisRecord> records =
                    new RedisKeyReader(connection, 0, 10, 10).read(List.of(missing));

            assertThat(records).hasSize(1);
            RedisRecord record = records.get(0);
            assertThat(record.getOp()).isEqualTo(RedisRecord.Op.DELETE);
            assertThat(record.getType()).isEqualTo(RedisDataType.NONE);
            assertThat(record.getKey()).isEqualTo(missing);
            assertThat(record.getValues()).isEmpty();
            assertThat(record.getVersion()).isBetween(before, redis.serverTimeMicros());
        }
    }

    @Test
    void omitsValuesOverTheLimits() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("limits");
        try (RedisConnection connection = RedisConnection.open(config(RedisTestClient.uri()), 0);
                RedisTestClient redis = new RedisTestClient(0)) {
            redis.sync().sadd(utf8(prefix + "set"), utf8("a"), utf8("b"), utf8("c"));
            redis.sync().set(utf8(prefix + "long"), utf8("0123456789"));
            redis.sync().set(utf8(prefix + "short"), utf8("01234"));

            List<RedisRecord> records =
                    new RedisKeyReader(connection, 0, 2, 5)
                            .read(
                                    List.of(
                                            utf8(prefix + "set"),
                                            utf8(prefix + "long"),
                                            utf8(prefix + "short")));

            assertThat(records.get(0).isValueOmitted()).isTrue();
            assertThat(records.get(0).getType()).isEqualTo(RedisDataType.SET);
            assertThat(records.get(1).isValueOmitted()).isTrue();
            assertThat(records.get(2).getValues()).isDeepEqualTo(new byte[][] {utf8("01234")});
        }
    }

    @Test
    void opensOnTheUrisDatabaseScansAndChecksExistenceAfterItsTime() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("open");
        Configuration config = config(RedisTestClient.uri());
        config.set(RedisSourceOptions.READ_MAX_VALUE_BYTES, 4);
        try (RedisTestClient redis = new RedisTestClient(0);
                RedisKeyReader reader = RedisKeyReader.open(config)) {
            for (int i = 0; i < 30; i++) {
                redis.sync().set(utf8(prefix + i), utf8("v" + i));
            }
            redis.sync().set(utf8(prefix + "big"), utf8("0123456789"));
            long before = redis.serverTimeMicros();

            Set<String> scanned = new HashSet<>();
            reader.scan(
                    prefix + "*",
                    7,
                    keys -> keys.forEach(k -> scanned.add(RedisTestClient.text(k))));
            RedisKeyReader.Existence existence =
                    reader.exists(List.of(utf8(prefix + "3"), utf8(prefix + "gone")));
            List<RedisRecord> read = reader.read(List.of(utf8(prefix + "3"), utf8(prefix + "big")));

            assertThat(scanned).hasSize(31).contains(prefix + "0", prefix + "29", prefix + "big");
            assertThat(existence.exists(0)).isTrue();
            assertThat(existence.exists(1)).isFalse();
            assertThat(existence.timeMicros()).isBetween(before, reader.serverTimeMicros());
            assertThat(read.get(0).getValues()).isDeepEqualTo(new byte[][] {utf8("v3")});
            assertThat(read.get(1).isValueOmitted()).as("over read.max-value-bytes").isTrue();
            assertThat(reader.description()).endsWith("/0");
            redis.sync().del(scanned.stream().map(RedisTestClient::utf8).toArray(byte[][]::new));
        }
    }

    @Test
    void fallsBackToEvalWhenTheScriptCacheWasFlushed() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("noscript");
        try (RedisConnection connection = RedisConnection.open(config(RedisTestClient.uri()), 0);
                RedisTestClient redis = new RedisTestClient(0)) {
            redis.sync().set(utf8(prefix + "a"), utf8("1"));
            RedisKeyReader reader = new RedisKeyReader(connection, 0, 10, 10);
            reader.read(List.of(utf8(prefix + "a")));

            redis.sync().scriptFlush();
            List<RedisRecord> records =
                    reader.read(List.of(utf8(prefix + "a"), utf8(prefix + "b")));

            assertThat(records.get(0).getValues()).isDeepEqualTo(new byte[][] {utf8("1")});
            assertThat(records.get(1).getOp()).isEqualTo(RedisRecord.Op.DELETE);
        }
    }

    @Test
    void failsFastOnAnUnreachableServerNamingItWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Configuration config = config("redis://alice:s3cr3t@127.0.0.1:" + closedPort + "/2");
        config.set(RedisSourceOptions.CONNECT_TIMEOUT, Duration.ofSeconds(2));
        long start = System.nanoTime();

        assertThatThrownBy(() -> RedisConnection.open(config, 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("redis://127.0.0.1:" + closedPort + "/2")
                .hasMessageNotContaining("s3cr3t")
                .hasCauseInstanceOf(RuntimeException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
