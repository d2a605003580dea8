package io.github.redisessync.connector.elasticsearch;

/** Elasticsearch could not be reached, or refused an administrative request; says which and why. */
public class ElasticsearchAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ElasticsearchAccessException(String message) {
        super(message);
    }

    public ElasticsearchAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
