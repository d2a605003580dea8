package io.github.redisessync.job.mapping;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.job.deadletter.DeadLetter;

/** Either the document a record maps to, or the dead letter saying why it cannot. */
public final class MappingResult {
    private final DocumentAction document;
    private final DeadLetter deadLetter;

    private MappingResult(DocumentAction document, DeadLetter deadLetter) {
        this.document = document;
        this.deadLetter = deadLetter;
    }

    static MappingResult document(DocumentAction document) {
        return new MappingResult(document, null);
    }

    static MappingResult deadLetter(DeadLetter deadLetter) {
        return new MappingResult(null, deadLetter);
    }

    public boolean isDocument() {
        return document != null;
    }

    public DocumentAction document() {
        return document;
    }

    public DeadLetter deadLetter() {
        return deadLetter;
    }
}
