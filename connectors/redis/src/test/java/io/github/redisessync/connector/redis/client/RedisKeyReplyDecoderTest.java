package io.github.redisessync.connector.redis.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link RedisKeyReplyDecoder} on replies shaped as Lettuce delivers {@code read-key.lua}'s.
 */
class RedisKeyReplyDecoderTest {

    private static final byte[] KEY = bytes("user:1");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static RedisRecord decode(List<?> reply, int database) {
        return RedisKeyReplyDecoder.decode(KEY, reply, database, 100, 1000);
    }

    @Test
    void decodesAHashWithVersionAndTtl() {
        List<Object> reply =
                List.of(
                        bytes("hash"),
                        1_700_000_000L,
                        123_456L,
                        -1L,
                        2L,
                        12L,
                        1L,
                        List.of(bytes("name"), bytes("Ann"), bytes("age"), bytes("42")));

        RedisRecord record = decode(reply, 3);

        assertThat(record.getOp()).isEqualTo(RedisRecord.Op.UPSERT);
        assertThat(record.getType()).isEqualTo(RedisDataType.HASH);
        assertThat(record.getVersion()).isEqualTo(1_700_000_000_123_456L);
        assertThat(record.getTtlMillis()).isEqualTo(-1L);
        assertThat(record.getDatabase()).isEqualTo(3);
        assertThat(record.getValues())
                .isDeepEqualTo(
                        new byte[][] {bytes("name"), bytes("Ann"), bytes("age"), bytes("42")});
    }

    @Test
    void decodesAMissingKeyAsADelete() {
        RedisRecord record = decode(List.of(bytes("none"), 10L, 5L), 0);

        assertThat(record).isEqualTo(RedisRecord.delete(KEY, 10_000_005L, 0));
        assertThat(record.getType()).isEqualTo(RedisDataType.NONE);
        assertThat(record.getValues()).isEmpty();
    }

    @Test
    void decodesAValueOverTheElementLimitAsOmittedWithItsSize() {
        RedisRecord record =
                decode(
                        List.of(
                                bytes("set"),
                                1L,
                                0L,
                                5000L,
                                2_000_000L,
                                -1L,
                                0L,
                                bytes("max-value-elements")),
                        0);

        assertThat(record.isValueOmitted()).isTrue();
        assertThat(record.getType()).isEqualTo(RedisDataType.SET);
        assertThat(record.getTtlMillis()).isEqualTo(5000L);
        assertThat(record.getOmissionReason())
                .isEqualTo("the set holds 2000000 elements, over read.max-value-elements = 100");
    }

    @Test
    void namesTheBytesAndTheSettingOfAValueOverTheByteLimit() {
        RedisRecord hash =
                decode(
                        List.of(
                                bytes("hash"),
                                1L,
                                0L,
                                -1L,
                                1L,
                                20_054_016L,
                                1L,
                                bytes("max-value-bytes")),
                        0);
        RedisRecord list =
                decode(
                        List.of(
                                bytes("list"),
                                1L,
                                0L,
                                -1L,
                                9L,
                                1200L,
                                0L,
                                bytes("max-value-bytes")),
                        0);

        assertThat(hash.isValueOmitted()).isTrue();
        assertThat(hash.getOmissionReason())
                .isEqualTo("the hash holds 20054016 bytes, over read.max-value-bytes = 1000");
        assertThat(list.getOmissionReason())
                .isEqualTo("the list holds more than 1200 bytes, over read.max-value-bytes = 1000");
    }

    @Test
    void decodesJsonAndLeavesStreamsAndModuleTypesUnread() {
        RedisRecord json =
                decode(
                        List.of(
                                bytes("ReJSON-RL"),
                                1L,
                                0L,
                                -1L,
                                1L,
                                7L,
                                1L,
                                List.of(bytes("{\"a\":1}"))),
                        0);
        RedisRecord stream =
                decode(List.of(bytes("stream"), 1L, 0L, -1L, 7L, -1L, 0L, bytes("type")), 0);
        RedisRecord module =
                decode(List.of(bytes("MBbloom--"), 1L, 0L, -1L, -1L, -1L, 0L, bytes("type")), 0);

        assertThat(json.getType()).isEqualTo(RedisDataType.JSON);
        assertThat(json.getValues()).isDeepEqualTo(new byte[][] {bytes("{\"a\":1}")});
        assertThat(stream.getType()).isEqualTo(RedisDataType.STREAM);
        assertThat(stream.isValueOmitted()).isTrue();
        assertThat(stream.getOmissionReason()).contains("stream").contains("not read");
        assertThat(module.getType()).isEqualTo(RedisDataType.UNKNOWN);
        assertThat(module.isValueOmitted()).isTrue();
        assertThat(module.getOmissionReason()).contains("MBbloom--");
    }

    @Test
    void rejectsAShortReplyNamingTheKey() {
        assertThatThrownBy(() -> decode(List.of(bytes("hash")), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"user:1\"");
    }
}
