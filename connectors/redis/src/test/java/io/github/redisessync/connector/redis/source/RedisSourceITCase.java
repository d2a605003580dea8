package io.github.redisessync.connector.redis.source;

import static io.github.redisessync.connector.redis.source.RedisTestClient.text;
import static io.github.redisessync.connector.redis.source.RedisTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link RedisSource} in a MiniCluster against a real Redis and checks every record. */
class RedisSourceITCase {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSourceITCase.class);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void readsEveryKeyMatchingThePatternsWithItsValueAndVersion() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("source");
        try (RedisTestClient redis = new RedisTestClient(0)) {
            Set<ByteBuffer> written = writeEveryType(redis.sync(), prefix);
            redis.sync().set(utf8("elsewhere:" + prefix), utf8("not matched"));
            long before = redis.serverTimeMicros();

            List<RedisRecord> records =
                    run(
                            RedisSource.builder()
                                    .setRedisUri(RedisTestClient.uri())
                                    .setKeyPatterns(List.of(prefix + "h*", prefix + "[^h]*"))
                                    .setScanCount(5)
                                    .setReadBatchSize(7)
                                    .build(),
                            2);
            long after = redis.serverTimeMicros();

            Map<ByteBuffer, RedisRecord> byKey = new HashMap<>();
            for (RedisRecord record : records) {
                byKey.merge(
                        ByteBuffer.wrap(record.getKey()),
                        record,
                        (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
            }
            assertThat(byKey.keySet()).isEqualTo(written);
            for (RedisRecord record : byKey.values()) {
                assertMatchesRedis(record, redis.sync());
                assertThat(record.getVersion()).isBetween(before, after);
            }
        }
    }

    @Test
    void readsTheConfiguredDatabase() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("database");
        try (RedisTestClient redis = new RedisTestClient(3)) {
            redis.sync().hset(utf8(prefix + "1"), utf8("f"), utf8("v"));

            List<RedisRecord> records =
                    run(
                            RedisSource.builder()
                                    .setRedisUri(RedisTestClient.uri())
                                    .setDatabase(3)
                                    .setKeyPatterns(List.of(prefix + "*"))
                                    .build(),
                            1);

            assertThat(records).hasSize(1);
            assertThat(records.get(0).getDatabase()).isEqualTo(3);
            assertMatchesRedis(records.get(0), redis.sync());
        }
    }

    @Test
    void readsManyKeysAndLogsTheRate() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("rate");
        int keys = 20_000;
        try (RedisTestClient redis = new RedisTestClient(0)) {
            for (int from = 0; from < keys; from += 1000) {
                Map<byte[], byte[]> batch = new LinkedHashMap<>();
                for (int i = from; i < from + 1000; i++) {
                    batch.put(
                            utf8(prefix + i),
                            utf8("{\"id\":" + i + ",\"name\":\"user " + i + "\"}"));
                }
                redis.sync().mset(batch);
            }

            long start = System.nanoTime();
            List<RedisRecord> records =
                    run(
                            RedisSource.builder()
                                    .setRedisUri(RedisTestClient.uri())
                                    .setKeyPatterns(List.of(prefix + "*"))
                                    .build(),
                            1);
            double seconds = (System.nanoTime() - start) / 1e9;

            Set<ByteBuffer> distinct = new HashSet<>();
            records.forEach(r -> distinct.add(ByteBuffer.wrap(r.getKey())));
            assertThat(distinct).hasSize(keys);
            LOG.info(
                    "Read {} keys ({} records) in {} s including job start: {} keys/s",
                    keys,
                    records.size(),
                    String.format("%.2f", seconds),
                    Math.round(keys / seconds));
        }
    }

    private static List<RedisRecord> run(RedisSource source, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        List<RedisRecord> records = new ArrayList<>();
        try (CloseableIterator<RedisRecord> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                        .executeAndCollect("redis-source-it")) {
            it.forEachRemaining(records::add);
        }
        return records;
    }

    /** Writes one or more keys of every type under the prefix; returns their keys. */
    private static Set<ByteBuffer> writeEveryType(RedisCommands<byte[], byte[]> redis, String p) {
        Map<byte[], byte[]> user = new LinkedHashMap<>();
        user.put(utf8("name"), utf8("Zoë Ångström 日本語 🚀"));
        user.put(utf8("empty"), utf8(""));
        user.put(utf8("age"), utf8("42"));
        user.put(utf8("balance"), utf8("-17.50"));
        user.put(utf8("big"), utf8("12345678901234567890"));
        redis.hset(utf8(p + "hash:user"), user);
        Map<byte[], byte[]> wide = new LinkedHashMap<>();
        for (int i = 0; i < 150; i++) {
            wide.put(utf8("field" + i), utf8("value " + i));
        }
        redis.hset(utf8(p + "hash:wide"), wide);
        redis.set(utf8(p + "string:plain"), utf8("hello"));
        redis.set(utf8(p + "string:empty"), utf8(""));
        redis.set(utf8(p + "string:json"), utf8("{\"a\":[1,2],\"b\":\"ü\"}"));
        redis.psetex(utf8(p + "string:ttl"), 600_000, utf8("expiring"));
        redis.sadd(utf8(p + "set"), utf8("a"), utf8("b"), utf8("ç"));
        redis.rpush(utf8(p + "list"), utf8("x"), utf8("y"), utf8("x"), utf8(""));
        redis.zadd(
                utf8(p + "zset"),
                ScoredValue.just(1.5, utf8("one-and-a-half")),
                ScoredValue.just(-3, utf8("minus-three")),
                ScoredValue.just(1e-7, utf8("tiny")));
        byte[] binaryKey = concat(utf8(p + "binary:"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        redis.set(binaryKey, new byte[] {0, (byte) 0x80, (byte) 0xff});
        Set<ByteBuffer> keys = new HashSet<>();
        for (String suffix :
                List.of(
                        "hash:user",
                        "hash:wide",
                        "string:plain",
                        "string:empty",
                        "string:json",
                        "string:ttl",
                        "set",
                        "list",
                        "zset")) {
            keys.add(ByteBuffer.wrap(utf8(p + suffix)));
        }
        keys.add(ByteBuffer.wrap(binaryKey));
        return keys;
    }

    /** Compares a record with what Redis holds for its key now, field by field. */
    static void assertMatchesRedis(RedisRecord record, RedisCommands<byte[], byte[]> redis) {
        byte[] key = record.getKey();
        String name = RedisRecord.printableKey(key);
        assertThat(record.getOp()).as(name).isEqualTo(RedisRecord.Op.UPSERT);
        assertThat(record.getType())
                .as(name)
                .isEqualTo(RedisDataType.fromTypeReply(redis.type(key)));
        long pttl = redis.pttl(key);
        if (pttl == -1) {
            assertThat(record.getTtlMillis()).as(name).isEqualTo(-1);
        } else {
            assertThat(record.getTtlMillis()).as(name).isBetween(pttl, 600_000L);
        }
        byte[][] values = record.getValues();
        switch (record.getType()) {
            case HASH:
                Map<ByteBuffer, ByteBuffer> fields = new HashMap<>();
                for (int i = 0; i < values.length; i += 2) {
                    fields.put(ByteBuffer.wrap(values[i]), ByteBuffer.wrap(values[i + 1]));
                }
                Map<ByteBuffer, ByteBuffer> expected = new HashMap<>();
                redis.hgetall(key)
                        .forEach((f, v) -> expected.put(ByteBuffer.wrap(f), ByteBuffer.wrap(v)));
                assertThat(values.length).as(name).isEqualTo(2 * expected.size());
                assertThat(fields).as(name).isEqualTo(expected);
                break;
            case STRING:
                assertThat(values).as(name).isDeepEqualTo(new byte[][] {redis.get(key)});
                break;
            case LIST:
                assertThat(values)
                        .as(name)
                        .isDeepEqualTo(redis.lrange(key, 0, -1).toArray(new byte[0][]));
                break;
            case SET:
                assertThat(wrap(values)).as(name).isEqualTo(wrap(redis.smembers(key)));
                assertThat(values.length).as(name).isEqualTo(redis.scard(key).intValue());
                break;
            case ZSET:
                List<ScoredValue<byte[]>> scored = redis.zrangeWithScores(key, 0, -1);
                assertThat(values.length).as(name).isEqualTo(2 * scored.size());
                for (int i = 0; i < scored.size(); i++) {
                    assertThat(values[2 * i]).as(name).isEqualTo(scored.get(i).getValue());
                    assertThat(Double.parseDouble(text(values[2 * i + 1])))
                            .as(name + " score of " + text(values[2 * i]))
                            .isEqualTo(scored.get(i).getScore());
                }
                break;
            default:
                throw new AssertionError("Unexpected type in " + record);
        }
    }

    private static Set<ByteBuffer> wrap(byte[][] values) {
        Set<ByteBuffer> set = new HashSet<>();
        for (byte[] value : values) {
            set.add(ByteBuffer.wrap(value));
        }
        return set;
    }

    private static Set<ByteBuffer> wrap(Set<byte[]> values) {
        return wrap(values.toArray(new byte[0][]));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
