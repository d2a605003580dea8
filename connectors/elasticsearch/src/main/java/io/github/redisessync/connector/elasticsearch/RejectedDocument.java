package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;

/** A write Elasticsearch refused for its content (400): which document, why, and an excerpt. */
public final class RejectedDocument implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String origin;
    private final String index;
    private final String id;
    private final long version;
    private final String reason;
    private final String excerpt;

    public RejectedDocument(
            String origin, String index, String id, long version, String reason, String excerpt) {
        this.origin = origin;
        this.index = index;
        this.id = id;
        this.version = version;
        this.reason = reason;
        this.excerpt = excerpt;
    }

    /** The {@link DocumentAction#getOrigin() origin} of the document, or {@code null}. */
    public String origin() {
        return origin;
    }

    public String index() {
        return index;
    }

    public String id() {
        return id;
    }

    public long version() {
        return version;
    }

    /** Elasticsearch's own reason, e.g. {@code mapper_parsing_exception: failed to parse field}. */
    public String reason() {
        return reason;
    }

    /** The start of the document source as sent. */
    public String excerpt() {
        return excerpt;
    }

    @Override
    public String toString() {
        return "origin=" + origin + " index=" + index + " id=" + id + " reason=" + reason;
    }
}
