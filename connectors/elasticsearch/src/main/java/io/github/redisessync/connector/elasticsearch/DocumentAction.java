package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One write to Elasticsearch: index a whole document, or delete one, identified by index and id,
 * with the version that orders it against the other writes of the same document.
 *
 * <p>A Flink POJO (public no-arg constructor and accessors) so that it crosses the keyBy before the
 * sink with Flink's own serializer rather than Kryo. The source is the document as UTF-8 JSON.
 */
public class DocumentAction implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What to do with the document. */
    public enum Op {
        INDEX,
        DELETE
    }

    private String index;
    private String id;
    private Op op;
    private long version;
    private String origin;
    private byte[] source;

    /** For Flink's POJO serializer. */
    public DocumentAction() {}

    /** Indexes {@code sourceJson} as the whole document {@code index/id}. */
    public static DocumentAction index(
            String index, String id, long version, String origin, byte[] sourceJson) {
        return of(Op.INDEX, index, id, version, origin, sourceJson);
    }

    /** Deletes the document {@code index/id}. */
    public static DocumentAction delete(String index, String id, long version, String origin) {
        return of(Op.DELETE, index, id, version, origin, new byte[0]);
    }

    private static DocumentAction of(
            Op op, String index, String id, long version, String origin, byte[] source) {
        DocumentAction action = new DocumentAction();
        action.index = index;
        action.id = id;
        action.op = op;
        action.version = version;
        action.origin = origin;
        action.source = source;
        return action;
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

    /**
     * Where the document came from, opaque to the sink: it only names it in what it hands to its
     * {@link RejectedDocumentHandler}.
     */
    public String getOrigin() {
        return origin;
    }

    public void setOrigin(String origin) {
        this.origin = origin;
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
                && Objects.equals(origin, that.origin)
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
