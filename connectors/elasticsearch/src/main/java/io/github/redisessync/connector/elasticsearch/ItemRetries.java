package io.github.redisessync.connector.elasticsearch;

import java.util.function.BiConsumer;
import org.apache.flink.metrics.Counter;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bulk items the connector's bulk processor sends again after Elasticsearch refused them
 * with 429, which happens inside the processor and reaches neither our sender's retries nor the
 * listener as a failure.
 *
 * <p>How they are told apart (Elasticsearch 7.10 {@code BulkRequestHandler} and {@code Retry}): the
 * processor announces each bulk once, in {@code beforeBulk}, and hands that same request to the
 * sender right after, on the same thread and under its lock. When the answer's failed items are all
 * 429, it builds a new {@code BulkRequest} of just those items and hands it to the sender after its
 * backoff, with no {@code beforeBulk}. So every request the sender receives that is not the one
 * last announced is such a retry. The connector's writer sends one bulk at a time (3.0.1 {@code
 * ElasticsearchWriter.createBulkProcessor} sets {@code concurrentRequests(0)} on the builder our
 * factory returns, and waits for each bulk's outcome), so a bulk's retries are all sent before the
 * next bulk is announced.
 */
final class ItemRetries {
    private static final Logger LOG = LoggerFactory.getLogger(ItemRetries.class);

    private final Counter retried;
    // Announced on the writer's thread, compared on the processor's scheduler thread.
    private volatile BulkRequest announced;

    ItemRetries(Counter retried) {
        this.retried = retried;
    }

    /** Called from the listener's {@code beforeBulk}: the bulk the sender gets next is new. */
    void announce(BulkRequest request) {
        announced = request;
    }

    /** Whether {@code request} is the processor's retry of items; if so they are counted. */
    boolean isRetry(BulkRequest request) {
        if (request == announced) {
            return false;
        }
        retried.inc(request.numberOfActions());
        LOG.debug(
                "The bulk processor retries {} items Elasticsearch refused with 429.",
                request.numberOfActions());
        return true;
    }

    /** {@code sender}, counting each retry of items before it sends it. */
    BiConsumer<BulkRequest, ActionListener<BulkResponse>> counting(
            BiConsumer<BulkRequest, ActionListener<BulkResponse>> sender) {
        return (request, listener) -> {
            isRetry(request);
            sender.accept(request, listener);
        };
    }
}
