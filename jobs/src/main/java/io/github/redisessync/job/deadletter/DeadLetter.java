package io.github.redisessync.job.deadletter;

import java.io.Serializable;

/** A record that could not become a document: its key, why, and an excerpt of its value. */
public class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    private String key;
    private String index;
    private String reason;
    private String reasonCode;
    private String excerpt;
    private long version;

    /** For Flink's POJO serializer. */
    public DeadLetter() {}

    public DeadLetter(String key, String index, String reason, String excerpt, long version) {
        this.key = key;
        this.index = index;
        this.reason = reason;
        this.excerpt = excerpt;
        this.version = version;
    }

    public DeadLetter(
            String key,
            String index,
            DeadLetterReason reasonCode,
            String reason,
            String excerpt,
            long version) {
        this(key, index, reason, excerpt, version);
        this.reasonCode = reasonCode.code();
    }

    /** The key as text; bytes that are not UTF-8 are shown as {@code \xNN}. */
    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    /** The index the record was meant for, or {@code null} when no rule matched. */
    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    /** A sentence a person understands, naming the field when one is at fault. */
    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    /** The {@link DeadLetterReason#code() code} of the reason, e.g. {@code bad-date}. */
    public String getReasonCode() {
        return reasonCode;
    }

    public void setReasonCode(String reasonCode) {
        this.reasonCode = reasonCode;
    }

    public String getExcerpt() {
        return excerpt;
    }

    public void setExcerpt(String excerpt) {
        this.excerpt = excerpt;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    @Override
    public String toString() {
        return "key="
                + key
                + " index="
                + index
                + " reason="
                + reasonCode
                + ": "
                + reason
                + " excerpt="
                + excerpt;
    }
}
