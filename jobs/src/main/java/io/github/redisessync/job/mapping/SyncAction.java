package io.github.redisessync.job.mapping;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the job's document stream carries: a write for the sink, or a signal between the job's own
 * operators. The signals travel in the same stream as the writes because only there do they keep
 * their order with the writes before them; the job takes the writes out ({@link #isWrite}) before
 * the sink, which never sees a signal.
 *
 * <p>A Flink POJO (public no-arg constructor and accessors) so that it crosses the keyBys with
 * Flink's own serializer rather than Kryo; the write is a nested POJO, null for a signal.
 */
public class SyncAction implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the element is. */
    public enum Kind {
        /** An index or a delete for the sink. */
        WRITE,
        /** A catch-up rescan finished; see {@link #catchUpFinished}. */
        CATCH_UP_FINISHED,
        /** Rewrite a derived document from the job's state; see {@link #refresh}. */
        REFRESH
    }

    private Kind kind;
    private DocumentAction document;
    private String index;
    private String id;
    private long version;
    private String[] catchUpIndexes;

    /** For Flink's POJO serializer. */
    public SyncAction() {}

    /** The write {@code document}. */
    public static SyncAction write(DocumentAction document) {
        SyncAction action = new SyncAction();
        action.kind = Kind.WRITE;
        action.document = Objects.requireNonNull(document, "document");
        action.index = document.getIndex();
        action.id = document.getId();
        action.version = document.getVersion();
        return action;
    }

    /**
     * The marker that a catch-up rescan of the keys of {@code indexes} finished and read every key
     * that existed when it started, at server time {@code rescanStartVersion} (µs): a record state
     * that no read since has touched belongs to a key that is gone.
     */
    public static SyncAction catchUpFinished(List<String> indexes, long rescanStartVersion) {
        SyncAction action = new SyncAction();
        action.kind = Kind.CATCH_UP_FINISHED;
        action.index = "";
        action.id = "";
        action.version = rescanStartVersion;
        action.catchUpIndexes = indexes.toArray(new String[0]);
        return action;
    }

    /**
     * Asks the operator that derives document {@code index/id} (a rollup) to write it again from
     * its state, or to delete it when its state has none, with a version of at least {@code
     * version}.
     */
    public static SyncAction refresh(String index, String id, long version) {
        SyncAction action = new SyncAction();
        action.kind = Kind.REFRESH;
        action.index = index;
        action.id = id;
        action.version = version;
        return action;
    }

    /** True for a write for the sink, false for a signal. */
    public boolean isWrite() {
        return kind == Kind.WRITE;
    }

    /** True for a {@link Kind#CATCH_UP_FINISHED} marker. */
    public boolean isCatchUpMarker() {
        return kind == Kind.CATCH_UP_FINISHED;
    }

    /** The indexes a catch-up marker covers; empty for any other element. */
    public List<String> catchUpIndexes() {
        return catchUpIndexes == null ? List.of() : List.of(catchUpIndexes);
    }

    /** The key the elements of one document are ordered by, the same as its write's. */
    public String documentKey() {
        return index + '/' + id;
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    /** The write, or null for a signal. */
    public DocumentAction getDocument() {
        return document;
    }

    public void setDocument(DocumentAction document) {
        this.document = document;
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

    /** The version of the write, the rescan's start for a marker, the floor for a refresh. */
    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public String[] getCatchUpIndexes() {
        return catchUpIndexes;
    }

    public void setCatchUpIndexes(String[] catchUpIndexes) {
        this.catchUpIndexes = catchUpIndexes;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SyncAction)) {
            return false;
        }
        SyncAction that = (SyncAction) o;
        return version == that.version
                && kind == that.kind
                && Objects.equals(document, that.document)
                && Objects.equals(index, that.index)
                && Objects.equals(id, that.id)
                && Arrays.equals(catchUpIndexes, that.catchUpIndexes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, index, id, version);
    }

    @Override
    public String toString() {
        return kind == Kind.WRITE
                ? document.toString()
                : kind + " " + documentKey() + " v" + version + " " + catchUpIndexes();
    }
}
