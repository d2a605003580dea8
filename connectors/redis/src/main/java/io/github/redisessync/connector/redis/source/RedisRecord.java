package io.github.redisessync.connector.redis.source;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One read of one Redis key: its type, value, TTL and the server time of the read (the version).
 *
 * <p>A Flink POJO on purpose (public no-arg constructor, getters and setters, no final fields), so
 * Flink serializes it with its {@code PojoSerializer} and never falls back to Kryo.
 *
 * <p>{@link #getValues() values} by type: HASH {@code field, value, field, value, ...}; STRING and
 * JSON {@code [value]}; LIST and SET the elements; ZSET {@code member, score, ...} with the score
 * as decimal text; DELETE and NONE empty. {@code values} is {@code null} when the key exists but
 * its value was not read: the value is over the configured size limit ({@code
 * read.max-value-elements} or {@code read.max-value-bytes}) or the type is one this source does not
 * read yet (STREAM, UNKNOWN). See {@link #isValueOmitted()} and {@link #getOmissionReason()};
 * consumers should route such records to the dead-letter output instead of writing an empty
 * document.
 *
 * <p>A {@link Op#CATCH_UP_FINISHED} record is no key's read but a marker: see {@link
 * #catchUpFinished}.
 */
public class RedisRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@code ttlMillis} of a key without expiry, as {@code PTTL} reports it. */
    public static final long NO_EXPIRY = -1L;

    /** {@code ttlMillis} of a key that did not exist at the read, as {@code PTTL} reports it. */
    public static final long NOT_FOUND = -2L;

    private static final byte[][] NO_VALUES = new byte[0][];

    /** What the record asks the consumer to do with the key's document. */
    public enum Op {
        UPSERT,
        DELETE,
        /**
         * Not a key: a catch-up rescan after a gap in the tail has re-read every key of some
         * patterns (or, on a fresh start of a tailing unbounded source, the first scan has).
         * Documents of keys deleted during the gap (or while no job ran) are still out there; a
         * consumer that keeps a copy removes the entries of these patterns whose keys no longer
         * exist (a sweep).
         */
        CATCH_UP_FINISHED
    }

    private byte[] key;
    private Op op;
    private RedisDataType type;
    private byte[][] values;
    private long version;
    private long ttlMillis;
    private int database;
    private String omissionReason;

    /** For Flink's POJO serializer; use the factories. */
    public RedisRecord() {}

    /** A key that exists, with its value ({@code null} when the value was not read). */
    public static RedisRecord upsert(
            byte[] key,
            RedisDataType type,
            byte[][] values,
            long version,
            long ttlMillis,
            int database) {
        RedisRecord record = new RedisRecord();
        record.key = key;
        record.op = Op.UPSERT;
        record.type = type;
        record.values = values;
        record.version = version;
        record.ttlMillis = ttlMillis;
        record.database = database;
        return record;
    }

    /**
     * A key that exists but whose value was not read; {@code reason} says why, with the size and
     * the limit (e.g. "it holds 20054016 bytes, over read.max-value-bytes = 10485760").
     */
    public static RedisRecord omitted(
            byte[] key,
            RedisDataType type,
            String reason,
            long version,
            long ttlMillis,
            int database) {
        RedisRecord record = upsert(key, type, null, version, ttlMillis, database);
        record.omissionReason = reason;
        return record;
    }

    /** A key that did not exist when it was read. */
    public static RedisRecord delete(byte[] key, long version, int database) {
        RedisRecord record = new RedisRecord();
        record.key = key;
        record.op = Op.DELETE;
        record.type = RedisDataType.NONE;
        record.values = NO_VALUES;
        record.version = version;
        record.ttlMillis = NOT_FOUND;
        record.database = database;
        return record;
    }

    /**
     * The marker that a catch-up rescan of {@code keyPatterns} in {@code database} finished, or the
     * first scan of a fresh start under an open tail; {@code version} is the server time (µs) when
     * it started, after the tail was subscribed: every key that existed then was read by the
     * (re)scan or changed (and read) since, with a newer version. The patterns travel as UTF-8
     * {@code values}, the key is empty: the record stays a plain POJO.
     */
    public static RedisRecord catchUpFinished(
            List<String> keyPatterns, long version, int database) {
        RedisRecord record = new RedisRecord();
        record.key = new byte[0];
        record.op = Op.CATCH_UP_FINISHED;
        record.type = RedisDataType.NONE;
        record.values =
                keyPatterns.stream()
                        .map(pattern -> pattern.getBytes(StandardCharsets.UTF_8))
                        .toArray(byte[][]::new);
        record.version = version;
        record.ttlMillis = NOT_FOUND;
        record.database = database;
        return record;
    }

    /** True for the marker of a finished catch-up rescan rather than a key's read. */
    public boolean isCatchUpMarker() {
        return op == Op.CATCH_UP_FINISHED;
    }

    /** The key patterns a catch-up marker covers; empty for any other record. */
    public List<String> catchUpPatterns() {
        if (!isCatchUpMarker() || values == null) {
            return List.of();
        }
        List<String> patterns = new ArrayList<>(values.length);
        for (byte[] pattern : values) {
            patterns.add(new String(pattern, StandardCharsets.UTF_8));
        }
        return patterns;
    }

    /** True when the key exists but its value was not read (too big, or a type not read yet). */
    public boolean isValueOmitted() {
        return op == Op.UPSERT && values == null;
    }

    /** Why the value was not read, when {@link #isValueOmitted()}; else {@code null}. */
    public String getOmissionReason() {
        return omissionReason;
    }

    public void setOmissionReason(String omissionReason) {
        this.omissionReason = omissionReason;
    }

    public byte[] getKey() {
        return key;
    }

    public void setKey(byte[] key) {
        this.key = key;
    }

    public Op getOp() {
        return op;
    }

    public void setOp(Op op) {
        this.op = op;
    }

    public RedisDataType getType() {
        return type;
    }

    public void setType(RedisDataType type) {
        this.type = type;
    }

    public byte[][] getValues() {
        return values;
    }

    public void setValues(byte[][] values) {
        this.values = values;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public long getTtlMillis() {
        return ttlMillis;
    }

    public void setTtlMillis(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    public int getDatabase() {
        return database;
    }

    public void setDatabase(int database) {
        this.database = database;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisRecord)) {
            return false;
        }
        RedisRecord that = (RedisRecord) o;
        return version == that.version
                && ttlMillis == that.ttlMillis
                && database == that.database
                && Arrays.equals(key, that.key)
                && op == that.op
                && type == that.type
                && Arrays.deepEquals(values, that.values)
                && Objects.equals(omissionReason, that.omissionReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(key),
                op,
                type,
                Arrays.deepHashCode(values),
                version,
                ttlMillis,
                database,
                omissionReason);
    }

    /** Prints the key safely and the size of the value, never the value itself (it may be huge). */
    @Override
    public String toString() {
        return "RedisRecord{key="
                + printableKey(key)
                + ", op="
                + op
                + ", type="
                + type
                + ", values="
                + (values == null ? "omitted (" + omissionReason + ")" : values.length + " items")
                + ", version="
                + version
                + ", ttlMillis="
                + ttlMillis
                + ", database="
                + database
                + '}';
    }

    /**
     * The key as text for logs and messages: quoted UTF-8 when it decodes, else hex; cut at 200
     * characters, because a key can be up to 512 MB.
     */
    public static String printableKey(byte[] key) {
        if (key == null) {
            return "null";
        }
        int limit = 200;
        try {
            String text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(key))
                            .toString();
            boolean printable = text.codePoints().noneMatch(Character::isISOControl);
            if (printable) {
                return text.length() <= limit
                        ? '"' + text + '"'
                        : '"' + text.substring(0, limit) + "\"...(" + key.length + " bytes)";
            }
        } catch (CharacterCodingException notUtf8) {
            // falls through to hex: the key is binary
        }
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < key.length && i < limit / 2; i++) {
            hex.append(String.format("%02x", key[i]));
        }
        if (key.length > limit / 2) {
            hex.append("...(").append(key.length).append(" bytes)");
        }
        return hex.toString();
    }
}
