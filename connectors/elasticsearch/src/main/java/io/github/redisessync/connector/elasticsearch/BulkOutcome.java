package io.github.redisessync.connector.elasticsearch;

/**
 * What the writer does with a bulk item or a whole bulk request, by the server's HTTP status.
 *
 * <p>The classes follow from what a retry can change. A 409 means the server already holds this
 * version or a newer one: done. A 400 is the document's own fault (mapping conflict, unparsable
 * value): a dead letter, the rest goes on. Overload and server-side trouble (429, 5xx) and a lost
 * connection pass: retried with backoff. Anything else (401/403, a missing index with automatic
 * creation off, a refused media type) would be refused again on every retry and every restart: it
 * ends the job with the server's reason instead of looping.
 */
enum BulkOutcome {
    WRITTEN,
    VERSION_CONFLICT,
    REJECTED,
    RETRY,
    FATAL;

    /** The class of an item of a bulk answer. */
    static BulkOutcome ofItem(BulkResponseItems.Item item) {
        if (!item.failed()) {
            // Also a delete of a missing document: 404 "not_found" without an error.
            return WRITTEN;
        }
        int status = item.status();
        if (status == 409) {
            return VERSION_CONFLICT;
        }
        if (status == 400) {
            return REJECTED;
        }
        return status == 429 || status >= 500 ? RETRY : FATAL;
    }

    /**
     * The class of a whole request that the server answered with {@code status}, or that got no
     * answer ({@code status} 0: refused, reset or timed out connection). A 413 (the body exceeds
     * {@code http.max_content_length}) is neither: the writer splits the request.
     */
    static BulkOutcome ofRequest(int status) {
        if (status == 0 || status == 429 || status >= 500) {
            return RETRY;
        }
        return FATAL;
    }
}
