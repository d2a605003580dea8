package io.github.redisessync.connector.redis.source.reader;

import static io.github.redisessync.connector.redis.source.RedisTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * {@code read.max-value-bytes} on a real Redis: every type is measured by the bytes of its whole
 * value, so a hash of one huge field is omitted (with its size and the setting) instead of reaching
 * Elasticsearch, where its bulk would fail for good, while the keys beside it are read.
 */
class RedisValueSizeLimitITCase {

    private static final int HUGE_FIELD_BYTES = 20_054_016;

    private static RedisConnection open() throws Exception {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, RedisTestClient.uri());
        return RedisConnection.open(config, 0);
    }

    @Test
    void omitsAHashWithOneHugeFieldAndReadsTheThousandBesideIt() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("huge-field");
        byte[] huge = utf8(prefix + "user:huge");
        List<byte[]> keys = new ArrayList<>();
        try (RedisConnection connection = open();
                RedisTestClient redis = new RedisTestClient(0)) {
            for (int i = 0; i < 1000; i++) {
                keys.add(utf8(prefix + "user:" + i));
                redis.sync().hset(keys.get(i), fields("name", "user " + i, "age", "" + i));
            }
            byte[] bio = new byte[HUGE_FIELD_BYTES];
            Arrays.fill(bio, (byte) 'x');
            redis.sync().hset(huge, Map.of(utf8("name"), utf8("big"), utf8("bio"), bio));
            keys.add(500, huge);
            try {
                RedisKeyReader reader =
                        new RedisKeyReader(
                                connection,
                                0,
                                RedisSourceOptions.READ_MAX_VALUE_ELEMENTS.defaultValue(),
                                RedisSourceOptions.READ_MAX_VALUE_BYTES.defaultValue());
                List<RedisRecord> records = new ArrayList<>();
                for (int from = 0; from < keys.size(); from += 500) {
                    records.addAll(
                            reader.read(keys.subList(from, Math.min(keys.size(), from + 500))));
                }

                RedisRecord big = records.remove(500);
                assertThat(big.getKey()).isEqualTo(huge);
                assertThat(big.getType()).isEqualTo(RedisDataType.HASH);
                assertThat(big.isValueOmitted()).isTrue();
                assertThat(big.getOmissionReason())
                        .isEqualTo(
                                "the hash holds "
                                        + ("name".length() + "big".length() + 3 + HUGE_FIELD_BYTES)
                                        + " bytes, over read.max-value-bytes = 10485760");
                assertThat(records).hasSize(1000);
                for (int i = 0; i < 1000; i++) {
                    assertThat(texts(records.get(i).getValues()))
                            .as("user %d", i)
                            .containsExactlyInAnyOrder("name", "user " + i, "age", "" + i);
                }
            } finally {
                redis.sync().unlink(keys.toArray(new byte[0][]));
            }
        }
    }

    @Test
    void measuresEveryTypeByTheBytesOfItsWholeValue() throws Exception {
        String p = RedisTestClient.uniquePrefix("value-bytes");
        try (RedisConnection connection = open();
                RedisTestClient redis = new RedisTestClient(0)) {
            var r = redis.sync();
            r.set(utf8(p + "string:fits"), new byte[10_000]);
            r.set(utf8(p + "string:over"), new byte[10_001]);
            r.hset(utf8(p + "hash:small"), fields("a", "1", "b", "22"));
            // 400 or 500 fields of 4 + 20 bytes: too big for the MEMORY USAGE shortcut.
            r.hset(utf8(p + "hash:fits"), numbered("f", 400, 20));
            r.hset(utf8(p + "hash:over"), numbered("f", 500, 20));
            // 300 or 600 members of 20 bytes: past the first chunk of 256, and over the limit.
            r.rpush(utf8(p + "list:fits"), members(300));
            r.rpush(utf8(p + "list:over"), members(600));
            r.sadd(utf8(p + "set:fits"), members(300));
            r.sadd(utf8(p + "set:over"), members(600));
            r.zadd(utf8(p + "zset:fits"), scored(300));
            r.zadd(utf8(p + "zset:over"), scored(600));
            List<String> names =
                    List.of(
                            "string:fits",
                            "string:over",
                            "hash:small",
                            "hash:fits",
                            "hash:over",
                            "list:fits",
                            "list:over",
                            "set:fits",
                            "set:over",
                            "zset:fits",
                            "zset:over");
            List<byte[]> keys = new ArrayList<>();
            names.forEach(name -> keys.add(utf8(p + name)));
            try {
                List<RedisRecord> records =
                        new RedisKeyReader(connection, 0, 1000, 10_000).read(keys);
                Map<String, RedisRecord> byName = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    byName.put(names.get(i), records.get(i));
                }

                assertThat(byName.get("string:fits").getValues()[0]).hasSize(10_000);
                assertThat(texts(byName.get("hash:small").getValues()))
                        .containsExactlyInAnyOrder("a", "1", "b", "22");
                assertThat(byName.get("hash:fits").getValues().length).isEqualTo(800);
                List<String> members = texts(members(300));
                assertThat(texts(byName.get("list:fits").getValues()))
                        .containsExactlyElementsOf(members);
                assertThat(texts(byName.get("set:fits").getValues()))
                        .containsExactlyInAnyOrderElementsOf(members);
                List<String> zset = texts(byName.get("zset:fits").getValues());
                assertThat(zset).hasSize(600);
                assertThat(zset.subList(596, 600))
                        .containsExactly(members.get(298), "298", members.get(299), "299");
                assertThat(byName.get("string:over").getOmissionReason())
                        .isEqualTo(
                                "the string holds 10001 bytes, over read.max-value-bytes = 10000");
                assertThat(byName.get("hash:over").getOmissionReason())
                        .isEqualTo("the hash holds 12000 bytes, over read.max-value-bytes = 10000");
                for (String over : List.of("list:over", "set:over", "zset:over")) {
                    assertThat(byName.get(over).isValueOmitted()).as(over).isTrue();
                    assertThat(byName.get(over).getOmissionReason())
                            .as(over)
                            .startsWith("the " + over.substring(0, over.indexOf(':')))
                            .contains("holds more than ")
                            .endsWith("bytes, over read.max-value-bytes = 10000");
                }
            } finally {
                r.unlink(keys.toArray(new byte[0][]));
            }
        }
    }

    private static List<String> texts(byte[][] values) {
        List<String> texts = new ArrayList<>();
        for (byte[] value : values) {
            texts.add(RedisTestClient.text(value));
        }
        return texts;
    }

    private static Map<byte[], byte[]> fields(String... pairs) {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(utf8(pairs[i]), utf8(pairs[i + 1]));
        }
        return fields;
    }

    private static Map<byte[], byte[]> numbered(String prefix, int count, int valueBytes) {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            fields.put(utf8(String.format("%s%03d", prefix, i)), new byte[valueBytes]);
        }
        return fields;
    }

    /** {@code count} members of 20 bytes each. */
    private static byte[][] members(int count) {
        byte[][] members = new byte[count][];
        for (int i = 0; i < count; i++) {
            members[i] = utf8(String.format("m%019d", i));
        }
        return members;
    }

    @SuppressWarnings("unchecked")
    private static ScoredValue<byte[]>[] scored(int count) {
        byte[][] members = members(count);
        ScoredValue<byte[]>[] scored = new ScoredValue[count];
        for (int i = 0; i < count; i++) {
            scored[i] = ScoredValue.just(i, members[i]);
        }
        return scored;
    }
}
