package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One write to Elasticsearch: index a whole document, or delete one, identified by index and id.
 *
 * <p>A Flink POJO (public no-arg constructor and accessors) so that it crosses the keyBy before the
 * sink with Flink's own serializer rather than Kryo. The source is the document as UTF-8 JSON.
 */
public class DocumentAction implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What to do with the document. The last two are no writes but signals between the job's
     * operators that travel in the same stream as the writes, because only there do they keep their
     * order with the writes before them; the version gate drops them, so the sink never sees one.
     */
    public enum Op {
        INDEX,
        DELETE,
        /**
         * A catch-up rescan of the indexes in the source finished; see {@link #catchUpFinished}.
         */
        CATCH_UP_FINISHED,
        /** Rewrite the derived document index/id from the job's state; see {@link #refresh}. */
        REFRESH
    }

    private String index;
    private String id;
    private Op op;
    private long version;
    private String redisKey;
    private byte[] source;

    /** For Flink's POJO serializer. */
    public DocumentAction() {}

    /** Indexes {@code sourceJson} as the whole document {@code index/id}. */
    public static DocumentAction index(
            String index, String id, long version, String redisKey, byte[] sourceJson) {
        DocumentAction action = new DocumentAction();
        action.index = index;
        action.id = id;
        action.op = Op.INDEX;
        action.version = version;
        action.redisKey = redisKey;
        action.source = sourceJson;
        return action;
    }

    /** Deletes the document {@code index/id}. */
    public static DocumentAction delete(String index, String id, long version, String redisKey) {
        DocumentAction action = new DocumentAction();
        action.index = index;
        action.id = id;
        action.op = Op.DELETE;
        action.version = version;
        action.redisKey = redisKey;
        action.source = new byte[0];
        return action;
    }

    /**
     * The marker that a catch-up rescan of the keys of {@code indexes} finished and read every key
     * that existed when it started, at server time {@code rescanStartVersion} (µs): a record state
     * that no read since has touched belongs to a key that is gone. The index names travel as the
     * source, one per line, so that the action stays a plain POJO.
     */
    public static DocumentAction catchUpFinished(List<String> indexes, long rescanStartVersion) {
        DocumentAction action = new DocumentAction();
        action.index = "";
        action.id = "";
        action.op = Op.CATCH_UP_FINISHED;
        action.version = rescanStartVersion;
        action.source = String.join("\n", indexes).getBytes(StandardCharsets.UTF_8);
        return action;
    }

    /**
     * Asks the operator that derives document {@code index/id} (a rollup) to write it again from
     * its state, or to delete it when its state has none, with a version of at least {@code
     * version}.
     */
    public static DocumentAction refresh(String index, String id, long version) {
        DocumentAction action = new DocumentAction();
        action.index = index;
        action.id = id;
        action.op = Op.REFRESH;
        action.version = version;
        action.source = new byte[0];
        return action;
    }

    /** True for an index or a delete; false for the signals that are no writes. */
    public boolean isWrite() {
        return op == Op.INDEX || op == Op.DELETE;
    }

    /** The indexes a {@link Op#CATCH_UP_FINISHED} marker covers; empty for any other action. */
    public List<String> catchUpIndexes() {
        if (op != Op.CATCH_UP_FINISHED || source == null || source.length == 0) {
            return List.of();
        }
        return List.of(new String(source, StandardCharsets.UTF_8).split("\n"));
    }

    /** The key the writes of one document are ordered by. */
    public String documentKey() {
        return index + '/' + id;
    }

    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public Op getOp() {
        return op;
    }

    public void setOp(Op op) {
        this.op = op;
    }

    /** The version of the Redis read this action came from (server time in microseconds). */
    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public String getRedisKey() {
        return redisKey;
    }

    public void setRedisKey(String redisKey) {
        this.redisKey = redisKey;
    }

    public byte[] getSource() {
        return source;
    }

    public void setSource(byte[] source) {
        this.source = source;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DocumentAction)) {
            return false;
        }
        DocumentAction that = (DocumentAction) o;
        return version == that.version
                && Objects.equals(index, that.index)
                && Objects.equals(id, that.id)
                && op == that.op
                && Objects.equals(redisKey, that.redisKey)
                && Arrays.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, op, version);
    }

    @Override
    public String toString() {
        String excerpt =
                source == null
                        ? ""
                        : new String(
                                source, 0, Math.min(source.length, 120), StandardCharsets.UTF_8);
        return op + " " + index + "/" + id + " v" + version + " " + excerpt;
    }
}
