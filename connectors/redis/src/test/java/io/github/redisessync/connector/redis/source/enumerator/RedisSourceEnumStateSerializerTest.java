package io.github.redisessync.connector.redis.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.GoldenFiles;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests {@link RedisSourceEnumStateSerializer}: round trips, and golden bytes of each version. */
class RedisSourceEnumStateSerializerTest {

    private final RedisSourceEnumStateSerializer serializer = new RedisSourceEnumStateSerializer();

    /** The state the golden file holds; change it only together with a new version. */
    private static RedisSourceEnumState goldenState() {
        return new RedisSourceEnumState(
                List.of(
                        RedisScanSplit.initial("redis-a:6379", 0, List.of("user:*")),
                        new RedisScanSplit(
                                "redis-b:6380", 1, List.of("a:*", "b:*"), 1, "987654321", 100L)),
                true);
    }

    @Test
    void roundTripsState() throws IOException {
        RedisSourceEnumState empty = new RedisSourceEnumState(List.of(), false);

        assertThat(serializer.deserialize(1, serializer.serialize(goldenState())))
                .isEqualTo(goldenState());
        assertThat(serializer.deserialize(1, serializer.serialize(empty))).isEqualTo(empty);
    }

    /** The golden state with a tail split, whose splits need split version 2. */
    private static RedisSourceEnumState goldenStateWithTail() {
        return new RedisSourceEnumState(
                List.of(
                        RedisScanSplit.initial("redis-a:6379", 0, List.of("user:*")),
                        new RedisTailSplit(
                                "redis-a:6379",
                                0,
                                RedisTailMode.KEYSPACE,
                                "",
                                List.of("user:*"),
                                false)),
                true);
    }

    @Test
    void readsTheVersion1GoldenBytesWrittenWithSplitVersion1() throws IOException {
        byte[] golden = GoldenFiles.read("golden/redis-enum-state-v1.bin");

        assertThat(serializer.deserialize(RedisSourceEnumStateSerializer.VERSION_1, golden))
                .isEqualTo(goldenState());
    }

    @Test
    void readsTheVersion1GoldenBytesWithSplitVersion2() throws IOException {
        // The splits are now written in version 3: version 2's bytes are only read.
        byte[] golden = GoldenFiles.read("golden/redis-enum-state-v1-split-v2.bin");

        assertThat(serializer.deserialize(RedisSourceEnumStateSerializer.VERSION_1, golden))
                .isEqualTo(goldenStateWithTail());
    }

    @Test
    void readsTheVersion1GoldenBytesWithSplitVersion3() throws IOException {
        byte[] golden =
                GoldenFiles.verifyOrWrite(
                        "golden/redis-enum-state-v1-split-v3.bin",
                        serializer.serialize(goldenStateWithTail()));

        assertThat(serializer.deserialize(RedisSourceEnumStateSerializer.VERSION_1, golden))
                .isEqualTo(goldenStateWithTail());
    }

    @Test
    void rejectsAnUnknownVersionNamingTheKnownOnes() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 2")
                .hasMessageContaining("reads version 1");
    }
}
