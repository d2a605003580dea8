package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.ResponseException;

/** How the bulk writer reports what went wrong: excerpts, causes, and failures for good. */
final class BulkFailures {
    static final int EXCERPT_CHARS = 200;
    private static final int BODY_CHARS = 500;

    private BulkFailures() {}

    /** The start of a document source for a dead letter. */
    static String excerpt(byte[] source) {
        if (source == null || source.length == 0) {
            return "";
        }
        // Decodes a few bytes only: the source may be megabytes.
        String head =
                new String(
                        source,
                        0,
                        Math.min(source.length, EXCERPT_CHARS * 4),
                        StandardCharsets.UTF_8);
        return head.length() <= EXCERPT_CHARS && source.length <= EXCERPT_CHARS * 4
                ? head
                : head.substring(0, Math.min(head.length(), EXCERPT_CHARS)) + "...";
    }

    /** The HTTP status of a failed request; 0 when no answer came (refused, reset, timed out). */
    static int status(Exception e) {
        return e instanceof ResponseException response
                ? response.getResponse().getStatusLine().getStatusCode()
                : 0;
    }

    /** A failure no retry or restart can cure: the job ends with it instead of looping. */
    static SuppressRestartsException fatal(String message) {
        return new SuppressRestartsException(new ElasticsearchAccessException(message));
    }

    /** The status line and the start of the server's answer, or the connection's error. */
    static String describe(Exception e) {
        if (e instanceof ResponseException response) {
            String body = "";
            try {
                body = EntityUtils.toString(response.getResponse().getEntity());
            } catch (IOException | RuntimeException ignored) {
                // the status line alone still says what happened
            }
            return response.getResponse().getStatusLine()
                    + (body.isEmpty()
                            ? ""
                            : " " + body.substring(0, Math.min(BODY_CHARS, body.length())));
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
