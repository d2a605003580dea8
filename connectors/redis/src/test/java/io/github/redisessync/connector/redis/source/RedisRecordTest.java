package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Tests {@link RedisRecord}: a Flink POJO (never Kryo), and safe to print. */
class RedisRecordTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isAFlinkPojoNotAKryoGenericType() {
        TypeInformation<RedisRecord> type = TypeInformation.of(RedisRecord.class);

        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(((PojoTypeInfo<RedisRecord>) type).getTotalFields()).isEqualTo(8);
    }

    @Test
    void roundTripsThroughFlinksSerializerIncludingOmittedValues() throws IOException {
        TypeSerializer<RedisRecord> serializer =
                TypeInformation.of(RedisRecord.class)
                        .createSerializer(
                                new SerializerConfigImpl(
                                        new ExecutionConfig().toConfiguration(),
                                        new ExecutionConfig()));
        RedisRecord hash =
                RedisRecord.upsert(
                        utf8("user:1"),
                        RedisDataType.HASH,
                        new byte[][] {utf8("name"), utf8("Zoë"), utf8("empty"), new byte[0]},
                        1_700_000_000_123_456L,
                        RedisRecord.NO_EXPIRY,
                        0);
        RedisRecord omitted =
                RedisRecord.omitted(
                        utf8("big"), RedisDataType.SET, "the set holds 9 elements", 5L, 1000L, 2);
        RedisRecord delete = RedisRecord.delete(new byte[] {(byte) 0xff, 0}, 7L, 1);
        RedisRecord marker = RedisRecord.catchUpFinished(List.of("user:*", "order:*"), 9L, 3);

        for (RedisRecord record : new RedisRecord[] {hash, omitted, delete, marker}) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(record, out);
            RedisRecord copy =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(copy).isEqualTo(record);
        }
        assertThat(omitted.isValueOmitted()).isTrue();
        assertThat(omitted.getOmissionReason()).isEqualTo("the set holds 9 elements");
        assertThat(delete.isValueOmitted()).isFalse();
        assertThat(delete.getValues()).isEmpty();
    }

    @Test
    void catchUpMarkerCarriesItsPatternsAndIsNoKeysRead() {
        RedisRecord marker = RedisRecord.catchUpFinished(List.of("user:*", "order:*"), 9L, 3);

        assertThat(marker.isCatchUpMarker()).isTrue();
        assertThat(marker.catchUpPatterns()).containsExactly("user:*", "order:*");
        assertThat(marker.isValueOmitted()).isFalse();
        assertThat(marker.getKey()).isEmpty();
        assertThat(RedisRecord.delete(utf8("k"), 1L, 0).catchUpPatterns()).isEmpty();
    }

    @Test
    void printsKeysSafelyAndNeverTheValue() {
        RedisRecord binaryKey =
                RedisRecord.upsert(
                        new byte[] {(byte) 0xc3, 0x28, 0x0a},
                        RedisDataType.STRING,
                        new byte[][] {utf8("secret value")},
                        1L,
                        -1L,
                        0);
        RedisRecord longKey =
                RedisRecord.upsert(
                        utf8("k".repeat(1000)), RedisDataType.STRING, new byte[][] {}, 1L, -1L, 0);

        assertThat(binaryKey.toString())
                .contains("key=0xc3280a", "values=1 items")
                .doesNotContain("secret value");
        assertThat(longKey.toString()).contains("...(1000 bytes)").hasSizeLessThan(400);
        assertThat(RedisRecord.printableKey(utf8("user:ü"))).isEqualTo("\"user:ü\"");
    }
}
