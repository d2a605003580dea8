package io.github.redisessync.job.deadletter;

import java.util.Locale;

/** Why a record became a dead letter; each reason has its own counter, named by {@link #code()}. */
public enum DeadLetterReason {
    KEY_NOT_UTF8,
    NO_MATCHING_PATTERN,
    NO_DOCUMENT_ID,
    VALUE_NOT_READ,
    WRONG_REDIS_TYPE,
    VALUE_NOT_UTF8,
    INVALID_JSON,
    BAD_FIELD_NAME,
    BAD_NUMBER,
    BAD_BOOLEAN,
    BAD_DATE;

    /** The metric and accumulator name part, e.g. {@code bad-date}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
