package io.github.redisessync.connector.redis.client;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * A Redis Stream used as a change log: reads its entries after a position with {@code XREAD} and
 * gives the keys they name, in order, with the id of the last entry read. The source's stream tail
 * and {@code reindex} both follow a stream through this class.
 *
 * <p>An entry names its key in the field {@code key} (other fields, such as {@code op}, are
 * ignored: the reader re-reads the key itself, as for the channel tail). Entries whose key matches
 * none of the patterns still move the position on. Entries removed (trimmed or deleted) after the
 * position before they were read are a {@link #gap}: the reader must rescan.
 */
public final class RedisChangeStream {

    private static final byte[] KEY_FIELD = "key".getBytes(StandardCharsets.UTF_8);

    /** The position before the first entry a stream can have. */
    public static final String START = "0-0";

    private final byte[] stream;
    private final String name;
    private final List<byte[]> patterns;
    private String position;
    @Nullable private String gap;

    private RedisChangeStream(String name, List<String> keyPatterns, String position) {
        this.name = name;
        this.stream = name.getBytes(StandardCharsets.UTF_8);
        this.patterns =
                keyPatterns.stream()
                        .map(p -> p.getBytes(StandardCharsets.UTF_8))
                        .collect(Collectors.toList());
        this.position = position;
    }

    /**
     * Opens {@code stream} for the keys matching {@code keyPatterns}: after {@code position} (a
     * checkpointed one), or, when it is empty (and after a {@link #gap}), after the stream's last
     * entry, which a caller takes before its first SCAN so that a write after it is in the stream
     * and one before it is found by the scan.
     */
    public static RedisChangeStream open(
            RedisConnection connection, String stream, List<String> keyPatterns, String position)
            throws IOException {
        String gap = position.isEmpty() ? null : lossAfter(connection, stream, position);
        RedisChangeStream opened =
                new RedisChangeStream(
                        stream,
                        keyPatterns,
                        position.isEmpty() || gap != null ? lastId(connection, stream) : position);
        opened.gap = gap;
        return opened;
    }

    /** The entry read last (or the one to read on from). */
    public String position() {
        return position;
    }

    /**
     * Why entries after the checkpointed position may be lost (the caller rescans), or null when
     * the tail reads on without one.
     */
    @Nullable
    public String gap() {
        return gap;
    }

    /** The keys of the entries read by one {@link #read}, and the id of the last of them. */
    public static final class Batch {
        private final List<byte[]> keys;
        @Nullable private final String lastId;
        private final int entries;
        @Nullable private final String gap;

        Batch(List<byte[]> keys, @Nullable String lastId, int entries, @Nullable String gap) {
            this.keys = keys;
            this.lastId = lastId;
            this.entries = entries;
            this.gap = gap;
        }

        /** The keys named, each once, in the order of their first entry. */
        public List<byte[]> keys() {
            return keys;
        }

        /** The id of the last entry read, null when there was none. */
        @Nullable
        public String lastId() {
            return lastId;
        }

        /** How many entries were read, whatever key they named. */
        public int entries() {
            return entries;
        }

        /**
         * Why entries after the position this read started from may have been removed before they
         * could be read (trimmed or deleted while the reader lagged), or null.
         */
        @Nullable
        public String gap() {
            return gap;
        }
    }

    /**
     * Up to {@code count} entries after the position, waiting up to {@code blockMillis} for one
     * when there is none (0: do not wait). A key named twice is returned once.
     */
    public Batch read(RedisConnection connection, int count, long blockMillis) throws IOException {
        String from = position;
        XReadArgs args = XReadArgs.Builder.count(count);
        if (blockMillis > 0) {
            args.block(blockMillis);
        }
        List<StreamMessage<byte[], byte[]>> messages =
                connection.call(
                        connection
                                .async()
                                .xread(args, XReadArgs.StreamOffset.from(stream, position)),
                        "XREAD of stream " + name);
        if (messages == null || messages.isEmpty()) {
            return new Batch(List.of(), null, 0, lossAfter(connection, name, from));
        }
        Set<ByteBuffer> seen = new LinkedHashSet<>();
        List<byte[]> keys = new ArrayList<>();
        for (StreamMessage<byte[], byte[]> message : messages) {
            byte[] key = keyOf(message.getBody());
            if (key != null
                    && patterns.stream().anyMatch(p -> RedisGlob.matches(p, key))
                    && seen.add(ByteBuffer.wrap(key))) {
                keys.add(key);
            }
        }
        String last = messages.get(messages.size() - 1).getId();
        position = last;
        // Checked after the read: if nothing after `from` is missing now, nothing was when XREAD
        // ran, as trimming only ever removes the oldest entries. Conservative at the trimming
        // edge, where a lagging reader may have lost entries: a gap costs a rescan, not data.
        return new Batch(keys, last, messages.size(), lossAfter(connection, name, from));
    }

    @Nullable
    private static byte[] keyOf(Map<byte[], byte[]> body) {
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            if (Arrays.equals(field.getKey(), KEY_FIELD)) {
                byte[] key = field.getValue();
                return key == null || key.length == 0 ? null : key;
            }
        }
        return null;
    }

    /**
     * The id of the stream's last entry ever added ({@code last-generated-id}), or {@link #START}
     * when the stream does not exist yet: reading on from it misses nothing written later.
     */
    public static String lastId(RedisConnection connection, String stream) throws IOException {
        Map<String, Object> info = info(connection, stream);
        return info == null ? START : text(info.get("last-generated-id"));
    }

    /**
     * Why entries after {@code position} may have been removed before they were read, or null when
     * none can have been. Trimming removes the oldest entries first, so while the oldest entry left
     * is not newer than the position, none after it was trimmed; Redis 7 also tells the greatest id
     * ever deleted with {@code XDEL}. Conservative: when the oldest entry left is newer than the
     * position, entries between the two may have existed, and that counts as a loss.
     */
    @Nullable
    public static String lossAfter(RedisConnection connection, String stream, String position)
            throws IOException {
        Map<String, Object> info = info(connection, stream);
        if (info == null) {
            return compare(position, START) > 0
                    ? "the stream "
                            + stream
                            + " no longer exists (it was read up to "
                            + position
                            + ")"
                    : null;
        }
        String lastAdded = text(info.get("last-generated-id"));
        if (compare(lastAdded, position) <= 0) {
            return null; // nothing was added after the position
        }
        Object maxDeleted = info.get("max-deleted-entry-id");
        if (maxDeleted != null && compare(text(maxDeleted), position) > 0) {
            return "entries up to "
                    + text(maxDeleted)
                    + " were deleted from "
                    + stream
                    + ", past the position "
                    + position;
        }
        Object added = info.get("entries-added");
        if (added != null && text(added).equals(text(info.get("length")))) {
            return null; // Redis 7: no entry was ever removed, so none after the position either
        }
        Object first = info.get("first-entry");
        if (!(first instanceof List) || ((List<?>) first).isEmpty()) {
            return "every entry of "
                    + stream
                    + " up to "
                    + lastAdded
                    + " was trimmed, past the position "
                    + position;
        }
        String oldest = text(((List<?>) first).get(0));
        return compare(oldest, position) > 0
                ? "the oldest entry of "
                        + stream
                        + " is "
                        + oldest
                        + ", newer than the position "
                        + position
                        + ": it was trimmed past it"
                : null;
    }

    /** Orders two entry ids ({@code ms-seq}). */
    static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byTime = Long.compareUnsigned(x[0], y[0]);
        return byTime != 0 ? byTime : Long.compareUnsigned(x[1], y[1]);
    }

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[] {Long.parseUnsignedLong(id), 0};
        }
        return new long[] {
            Long.parseUnsignedLong(id.substring(0, dash)),
            Long.parseUnsignedLong(id.substring(dash + 1))
        };
    }

    /** {@code XINFO STREAM} as a map, or null when the stream does not exist. */
    @Nullable
    private static Map<String, Object> info(RedisConnection connection, String stream)
            throws IOException {
        List<Object> reply;
        try {
            reply =
                    connection.call(
                            connection.async().xinfoStream(stream.getBytes(StandardCharsets.UTF_8)),
                            "XINFO STREAM " + stream);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("no such key")) {
                return null;
            }
            throw e;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            info.put(text(reply.get(i)), reply.get(i + 1));
        }
        return info;
    }

    private static String text(Object value) {
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.UTF_8);
        }
        if (value instanceof ByteBuffer) {
            return StandardCharsets.UTF_8.decode(((ByteBuffer) value).duplicate()).toString();
        }
        return String.valueOf(value);
    }
}
