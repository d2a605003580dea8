package io.github.redisessync.job.mapping;

import io.github.redisessync.job.deadletter.DeadLetter;
import io.github.redisessync.job.deadletter.DeadLetterReason;

/**
 * Why a value cannot become (part of) a document; thrown from deep inside the mapping and turned
 * into a {@link DeadLetter} at its top. Bad data is rare, so an exception is cheap enough; it
 * carries no stack trace.
 */
final class MappingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    MappingFailure(DeadLetterReason reason, String sentence) {
        super(sentence, null, false, false);
        this.reason = reason;
    }

    DeadLetterReason reason() {
        return reason;
    }
}
