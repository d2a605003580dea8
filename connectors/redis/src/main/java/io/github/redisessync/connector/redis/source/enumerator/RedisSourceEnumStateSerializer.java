package io.github.redisessync.connector.redis.source.enumerator;

import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Serializes the enumerator's checkpoint, {@link RedisSourceEnumState}. */
public final class RedisSourceEnumStateSerializer
        implements SimpleVersionedSerializer<RedisSourceEnumState> {

    /**
     * The first layout, big-endian:
     *
     * <pre>
     * boolean initial splits created (one byte, 0 or 1)
     * int     the RedisSplitSerializer version the splits below are written with
     * int     n, the number of unassigned splits
     * n times:
     *   int   length
     *   byte[length] the split, as RedisSplitSerializer writes it
     * </pre>
     *
     * Recording the split serializer's version lets the split layout evolve without a new version
     * of this one.
     */
    public static final int VERSION_1 = 1;

    public static final int CURRENT_VERSION = VERSION_1;

    private final RedisSplitSerializer splitSerializer = RedisSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RedisSourceEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeBoolean(state.initialSplitsCreated());
        out.writeInt(splitSerializer.getVersion());
        out.writeInt(state.unassignedSplits().size());
        for (RedisSourceSplit split : state.unassignedSplits()) {
            byte[] bytes = splitSerializer.serialize(split);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public RedisSourceEnumState deserialize(int version, byte[] serialized) throws IOException {
        switch (version) {
            case VERSION_1:
                return deserializeV1(serialized);
            default:
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of a serialized Redis enumerator state; this build reads"
                                + " version "
                                + VERSION_1
                                + ".");
        }
    }

    private RedisSourceEnumState deserializeV1(byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        boolean initialSplitsCreated = in.readBoolean();
        int splitVersion = in.readInt();
        int count = in.readInt();
        List<RedisSourceSplit> splits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            splits.add(splitSerializer.deserialize(splitVersion, bytes));
        }
        if (in.available() > 0) {
            throw new IOException(
                    in.available()
                            + " unexpected trailing bytes after a version 1 Redis enumerator"
                            + " state.");
        }
        return new RedisSourceEnumState(splits, initialSplitsCreated);
    }
}
