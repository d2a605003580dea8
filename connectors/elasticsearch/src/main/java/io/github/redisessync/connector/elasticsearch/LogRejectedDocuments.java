package io.github.redisessync.connector.elasticsearch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each rejected document as one WARN line of the {@code io.github.redisessync.deadletter}
 * logger: the sink's default, for callers that keep no dead letters of their own.
 */
public final class LogRejectedDocuments implements RejectedDocumentHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger DEAD_LETTERS =
            LoggerFactory.getLogger("io.github.redisessync.deadletter");

    @Override
    public void rejected(RejectedDocument document) {
        DEAD_LETTERS.warn(
                "Dead letter: '{}' (index {}, id {}): the server rejected the document: {}"
                        + " Value: {}",
                document.origin(),
                document.index(),
                document.id(),
                document.reason(),
                document.excerpt());
    }
}
