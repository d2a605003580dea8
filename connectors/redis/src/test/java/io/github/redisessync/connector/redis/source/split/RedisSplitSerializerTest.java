package io.github.redisessync.connector.redis.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.GoldenFiles;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests {@link RedisSplitSerializer}: round trips, and golden bytes of each version. */
class RedisSplitSerializerTest {

    private final RedisSplitSerializer serializer = new RedisSplitSerializer();

    /** The split the golden file holds; change it only together with a new version. */
    static RedisScanSplit goldenSplit() {
        return new RedisScanSplit(
                "redis.example:6379", 3, List.of("user:*", "order:*", "ünï:*"), 1, "1234", 42L);
    }

    /** The tail split the version 2 golden file holds. */
    static RedisTailSplit goldenTailSplit() {
        return new RedisTailSplit(
                "redis.example:6379",
                3,
                RedisTailMode.CHANNEL,
                "mychannel",
                List.of("user:*"),
                true);
    }

    /** The stream tail split the version 3 golden file holds. */
    static RedisTailSplit goldenStreamSplit() {
        return new RedisTailSplit(
                "redis.example:6379",
                3,
                RedisTailMode.STREAM,
                "redis-es-sync:changes",
                List.of("user:*"),
                true,
                "1712345678901-7");
    }

    @Test
    void readsTheVersion3GoldenBytesOfAStreamTail() throws IOException {
        byte[] stream =
                GoldenFiles.verifyOrWrite(
                        "golden/redis-split-v3-stream.bin",
                        serializer.serialize(goldenStreamSplit()));

        assertThat(serializer.deserialize(RedisSplitSerializer.VERSION_3, stream))
                .isEqualTo(goldenStreamSplit());
        assertThat(serializer.deserialize(RedisSplitSerializer.VERSION_3, stream))
                .extracting(split -> split.asTailSplit().streamPosition())
                .isEqualTo("1712345678901-7");
    }

    @Test
    void checkpointsAStreamTailAtTheLastEntryHandedOn() {
        RedisTailSplit fresh =
                new RedisTailSplit(
                        "h:1", 0, RedisTailMode.STREAM, "changes", List.of("*"), false, "");
        RedisTailSplitState state = new RedisTailSplitState(fresh);
        state.advanceTo("5-1");

        assertThat(state.toSplit().isResumed()).isTrue();
        assertThat(state.toSplit().streamPosition()).isEqualTo("5-1");
    }

    @Test
    void roundTripsTailSplitsOfBothModes() throws IOException {
        RedisTailSplit keyspace =
                new RedisTailSplit(
                        "h:1", 0, RedisTailMode.KEYSPACE, null, List.of("a:*", "b:*"), false);

        assertThat(serializer.deserialize(3, serializer.serialize(keyspace))).isEqualTo(keyspace);
        assertThat(serializer.deserialize(3, serializer.serialize(goldenTailSplit())))
                .isEqualTo(goldenTailSplit());
        assertThat(keyspace.splitId()).isEqualTo("tail:h:1/0");
        assertThat(keyspace.nodeId())
                .isEqualTo(RedisScanSplit.initial("h:1", 0, List.of("*")).nodeId());
    }

    @Test
    void checkpointsATailSplitAsResumed() {
        RedisTailSplit fresh =
                new RedisTailSplit("h:1", 0, RedisTailMode.KEYSPACE, "", List.of("*"), false);

        assertThat(new RedisTailSplitState(fresh).toSplit().isResumed()).isTrue();
    }

    @Test
    void readsTheVersion2GoldenBytesOfBothKinds() throws IOException {
        // Version 3 writes a tail split with a position more: version 2's bytes are only read.
        byte[] tail = GoldenFiles.read("golden/redis-split-v2-tail.bin");
        // A scan split is written in version 2 exactly as in version 1.
        byte[] scan =
                GoldenFiles.verifyOrWrite(
                        "golden/redis-split-v1.bin", serializer.serialize(goldenSplit()));

        assertThat(serializer.deserialize(RedisSplitSerializer.VERSION_2, tail))
                .isEqualTo(goldenTailSplit());
        assertThat(serializer.deserialize(RedisSplitSerializer.VERSION_2, scan))
                .isEqualTo(goldenSplit());
    }

    @Test
    void roundTripsAScanSplit() throws IOException {
        RedisScanSplit split = goldenSplit();

        RedisSourceSplit copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(copy).isEqualTo(split);
        assertThat(copy.splitId()).isEqualTo("scan:redis.example:6379/3");
    }

    @Test
    void roundTripsAFinishedAndAnInitialSplit() throws IOException {
        RedisScanSplit initial = RedisScanSplit.initial("h:1", 0, List.of("*"));
        RedisScanSplit finished = new RedisScanSplit("h:1", 0, List.of("*"), 1, "0", 7L);

        assertThat(serializer.deserialize(1, serializer.serialize(initial))).isEqualTo(initial);
        RedisSourceSplit copy = serializer.deserialize(1, serializer.serialize(finished));
        assertThat(copy.asScanSplit().isFinished()).isTrue();
    }

    @Test
    void readsTheVersion1GoldenBytes() throws IOException {
        byte[] golden =
                GoldenFiles.verifyOrWrite(
                        "golden/redis-split-v1.bin", serializer.serialize(goldenSplit()));

        assertThat(serializer.deserialize(RedisSplitSerializer.VERSION_1, golden))
                .isEqualTo(goldenSplit());
    }

    @Test
    void rejectsAnUnknownVersionNamingTheKnownOnes() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[] {1}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99")
                .hasMessageContaining("reads versions 1 to 3");
    }

    @Test
    void rejectsAnUnknownSplitKind() {
        assertThatThrownBy(() -> serializer.deserialize(1, new byte[] {2}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("kind tag 2");
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[] {3}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("kind tag 3");
    }
}
