package io.github.redisessync.connector.redis.source.split;

import io.github.redisessync.connector.redis.source.RedisTailMode;
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

    /**
     * Version 1 plus the tail split; a scan split is written exactly as in version 1.
     *
     * <pre>
     * byte  kind tag: 1 = scan (layout of version 1), 2 = tail
     * tail split:
     *   UTF     node, "host:port"
     *   int     database
     *   byte    mode: 1 = keyspace notifications, 2 = application channel
     *   UTF     channel ("" for keyspace notifications)
     *   int     n, the number of key patterns
     *   UTF     key pattern, n times
     *   boolean resumed: a reader held the split before (one byte, 0 or 1)
     * </pre>
     */
    public static final int VERSION_2 = 2;

    /**
     * Version 2 plus the stream tail; a scan split is written exactly as in version 1.
     *
     * <pre>
     * tail split:
     *   (as in version 2, where the mode byte may also be 3 = stream, whose "channel" is the
     *    stream's key)
     *   UTF     stream position: the last entry id handed downstream ("" for none)
     * </pre>
     */
    public static final int VERSION_3 = 3;

    public static final int CURRENT_VERSION = VERSION_3;

    public static final RedisSplitSerializer INSTANCE = new RedisSplitSerializer();

    private static final byte MODE_KEYSPACE = 1;
    private static final byte MODE_CHANNEL = 2;
    private static final byte MODE_STREAM = 3;

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
            case TAIL:
                writeTailSplit(split.asTailSplit(), out);
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
            case VERSION_2:
            case VERSION_3:
                return deserialize(version, new DataInputDeserializer(serialized));
            default:
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of a serialized Redis split; this build reads versions "
                                + VERSION_1
                                + " to "
                                + VERSION_3
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

    private static void writeTailSplit(RedisTailSplit split, DataOutputSerializer out)
            throws IOException {
        out.writeUTF(split.node());
        out.writeInt(split.database());
        out.writeByte(modeTag(split.mode()));
        out.writeUTF(split.channel());
        out.writeInt(split.keyPatterns().size());
        for (String pattern : split.keyPatterns()) {
            out.writeUTF(pattern);
        }
        out.writeBoolean(split.isResumed());
        out.writeUTF(split.streamPosition());
    }

    private static byte modeTag(RedisTailMode mode) {
        switch (mode) {
            case KEYSPACE:
                return MODE_KEYSPACE;
            case CHANNEL:
                return MODE_CHANNEL;
            case STREAM:
                return MODE_STREAM;
            default:
                throw new IllegalArgumentException("No tail split has mode " + mode);
        }
    }

    private static RedisSourceSplit deserialize(int version, DataInputDeserializer in)
            throws IOException {
        byte tag = in.readByte();
        RedisSourceSplit split;
        if (tag == RedisSplitKind.SCAN.tag()) {
            split = readScanSplit(in);
        } else if (tag == RedisSplitKind.TAIL.tag() && version >= VERSION_2) {
            split = readTailSplit(in, version);
        } else {
            throw new IOException(
                    "Unknown split kind tag "
                            + tag
                            + " in a version "
                            + version
                            + " Redis split; "
                            + (version == VERSION_1 ? "1 is scan." : "1 is scan, 2 is tail."));
        }
        if (in.available() > 0) {
            throw new IOException(
                    in.available()
                            + " unexpected trailing bytes after a version "
                            + version
                            + " Redis split.");
        }
        return split;
    }

    private static RedisScanSplit readScanSplit(DataInputDeserializer in) throws IOException {
        String node = in.readUTF();
        int database = in.readInt();
        List<String> patterns = readPatterns(in);
        int patternIndex = in.readInt();
        String cursor = in.readUTF();
        long keysScanned = in.readLong();
        return new RedisScanSplit(node, database, patterns, patternIndex, cursor, keysScanned);
    }

    private static RedisTailSplit readTailSplit(DataInputDeserializer in, int version)
            throws IOException {
        String node = in.readUTF();
        int database = in.readInt();
        byte mode = in.readByte();
        if (mode != MODE_KEYSPACE
                && mode != MODE_CHANNEL
                && (mode != MODE_STREAM || version < VERSION_3)) {
            throw new IOException(
                    "Unknown tail mode "
                            + mode
                            + " in a version "
                            + version
                            + " Redis tail split; 1 is keyspace, 2 channel, 3 stream (version 3).");
        }
        String channel = in.readUTF();
        List<String> patterns = readPatterns(in);
        boolean resumed = in.readBoolean();
        String position = version >= VERSION_3 ? in.readUTF() : "";
        RedisTailMode tailMode =
                mode == MODE_KEYSPACE
                        ? RedisTailMode.KEYSPACE
                        : mode == MODE_CHANNEL ? RedisTailMode.CHANNEL : RedisTailMode.STREAM;
        return new RedisTailSplit(node, database, tailMode, channel, patterns, resumed, position);
    }

    private static List<String> readPatterns(DataInputDeserializer in) throws IOException {
        int patternCount = in.readInt();
        List<String> patterns = new ArrayList<>(patternCount);
        for (int i = 0; i < patternCount; i++) {
            patterns.add(in.readUTF());
        }
        return patterns;
    }
}
