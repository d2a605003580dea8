package io.github.redisessync.connector.elasticsearch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each rejected document as one WARN line of the {@code io.github.redisessync.deadletter}
 * logger, the same logger the job's mapping dead letters use.
 */
public final class LogRejectedDocuments implements RejectedDocumentHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger DEAD_LETTERS =
            LoggerFactory.getLogger("io.github.redisessync.deadletter");

    @Override
    public void rejected(RejectedDocument document) {
        log(document);
    }

    static void log(RejectedDocument document) {
        DEAD_LETTERS.warn(
                "Dead letter: key '{}' (index {}, id {}): Elasticsearch rejected the document: {}"
                        + " Value: {}",
                document.redisKey(),
                document.index(),
                document.id(),
                document.reason(),
                document.excerpt());
    }
}
