package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;

/**
 * A write Elasticsearch refused for its content (400): which document, why, and an excerpt.
 *
 * @param origin the {@link DocumentAction#getOrigin() origin} of the document, or {@code null}
 * @param index the index of the document
 * @param id the id of the document
 * @param version the version of the write
 * @param reason Elasticsearch's own reason, e.g. {@code mapper_parsing_exception: failed to parse
 *     field}
 * @param excerpt the start of the document source as sent
 */
public record RejectedDocument(
        String origin, String index, String id, long version, String reason, String excerpt)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "origin=" + origin + " index=" + index + " id=" + id + " reason=" + reason;
    }
}
