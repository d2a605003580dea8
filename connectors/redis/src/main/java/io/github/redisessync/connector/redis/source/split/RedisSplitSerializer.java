package io.github.redisessync.connector.redis.source.split;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Serializes {@link RedisSourceSplit}s of every kind for checkpoints and for assignment. */
public final class RedisSplitSerializer implements SimpleVersionedSerializer<RedisSourceSplit> {

    /**
     * The first layout. Big-endian, strings as {@code DataOutput.writeUTF} (2-byte length, modified
     * UTF-8):
     *
     * <pre>
     * byte  kind tag: 1 = scan (2 is reserved for the tail split; see RedisSplitKind)
     * scan split:
     *   UTF   node, "host:port"
     *   int   database
     *   int   n, the number of key patterns
     *   UTF   key pattern, n times
     *   int   pattern index (n when the scan is finished)
     *   UTF   SCAN cursor, decimal text (an unsigned 64-bit number)
     *   long  keys scanned so far
     * </pre>
     *
     * No credentials: readers connect with the source's configuration.
     */
    public static final int VERSION_1 = 1;

    public static final int CURRENT_VERSION = VERSION_1;

    public static final RedisSplitSerializer INSTANCE = new RedisSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RedisSourceSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(split.kind().tag());
        switch (split.kind()) {
            case SCAN:
                writeScanSplit(split.asScanSplit(), out);
                break;
            default:
                throw new IOException(
                        "Cannot serialize split " + split.splitId() + " of kind " + split.kind());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public RedisSourceSplit deserialize(int version, byte[] serialized) throws IOException {
        switch (version) {
            case VERSION_1:
                return deserializeV1(serialized);
            default:
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of a serialized Redis split; this build reads version "
                                + VERSION_1
                                + ".");
        }
    }

    private static void writeScanSplit(RedisScanSplit split, DataOutputSerializer out)
            throws IOException {
        out.writeUTF(split.node());
        out.writeInt(split.database());
        out.writeInt(split.keyPatterns().size());
        for (String pattern : split.keyPatterns()) {
            out.writeUTF(pattern);
        }
        out.writeInt(split.patternIndex());
        out.writeUTF(split.cursor());
        out.writeLong(split.keysScanned());
    }

    private static RedisSourceSplit deserializeV1(byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        byte tag = in.readByte();
        if (tag != RedisSplitKind.SCAN.tag()) {
            throw new IOException(
                    "Unknown split kind tag " + tag + " in a version 1 Redis split; 1 is scan.");
        }
        String node = in.readUTF();
        int database = in.readInt();
        int patternCount = in.readInt();
        List<String> patterns = new ArrayList<>(patternCount);
        for (int i = 0; i < patternCount; i++) {
            patterns.add(in.readUTF());
        }
        int patternIndex = in.readInt();
        String cursor = in.readUTF();
        long keysScanned = in.readLong();
        if (in.available() > 0) {
            throw new IOException(
                    in.available() + " unexpected trailing bytes after a version 1 Redis split.");
        }
        return new RedisScanSplit(node, database, patterns, patternIndex, cursor, keysScanned);
    }
}
