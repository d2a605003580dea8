package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.metrics.Counter;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.rest.RestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each bulk request with the writer's client and the request options the server needs, and
 * retries a whole request that failed for a transient reason.
 *
 * <p>The bulk processor's own backoff retries only items rejected with 429 (counted by {@link
 * ItemRetries}); a request that never got an answer (connection refused or reset, timeout) or was
 * refused as a whole (429, 502, 503, 504) would reach the writer as "Complete bulk has failed" and
 * fail the job. Here it is sent again with the same backoff ({@code bulk-flush.backoff.*},
 * doubling), which rides out an Elasticsearch restart without a job restart. Sending a bulk twice
 * is harmless: every write carries its external version, so a repeat is accepted as the same
 * version or dropped as a 409. While it waits, the writer's flush waits too (the connector sends
 * with no concurrent requests), which is the backpressure we want. When the retries are spent, the
 * failure goes on and the job restarts from its last checkpoint, still without losing data.
 */
final class RetryingBulkSender implements BiConsumer<BulkRequest, ActionListener<BulkResponse>> {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingBulkSender.class);

    private final RestHighLevelClient client;
    private final RequestOptions options;
    private final int maxRetries;
    private final long firstDelayMillis;
    private final Counter retries;
    private final ScheduledThreadPoolExecutor timer;

    RetryingBulkSender(
            RestHighLevelClient client,
            RequestOptions options,
            int maxRetries,
            long firstDelayMillis,
            Counter retries) {
        this.client = client;
        this.options = options;
        this.maxRetries = maxRetries;
        this.firstDelayMillis = firstDelayMillis;
        this.retries = retries;
        this.timer =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "elasticsearch-bulk-retry");
                            t.setDaemon(true);
                            return t;
                        });
        // No close hook reaches this object; an idle timer thread ends by itself instead.
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    @Override
    public void accept(BulkRequest request, ActionListener<BulkResponse> listener) {
        send(request, listener, 0);
    }

    private void send(BulkRequest request, ActionListener<BulkResponse> listener, int attempt) {
        client.bulkAsync(
                request,
                options,
                ActionListener.wrap(
                        listener::onResponse,
                        e -> {
                            // A closed client means the writer is closing: nothing to retry.
                            boolean running = client.getLowLevelClient().isRunning();
                            if (running && attempt < maxRetries && isTransient(e)) {
                                long delay = firstDelayMillis << Math.min(attempt, 20);
                                retries.inc();
                                LOG.warn(
                                        "Bulk request of {} actions failed ({}); retry {} of {} in"
                                                + " {} ms.",
                                        request.numberOfActions(),
                                        describe(e),
                                        attempt + 1,
                                        maxRetries,
                                        delay);
                                timer.schedule(
                                        () -> send(request, listener, attempt + 1),
                                        delay,
                                        TimeUnit.MILLISECONDS);
                            } else {
                                listener.onFailure(e);
                            }
                        }));
    }

    static boolean isTransient(Exception e) {
        RestStatus status = null;
        if (e instanceof ElasticsearchStatusException) {
            status = ((ElasticsearchStatusException) e).status();
        } else if (e instanceof ResponseException) {
            status =
                    RestStatus.fromCode(
                            ((ResponseException) e).getResponse().getStatusLine().getStatusCode());
        }
        if (status != null) {
            return status == RestStatus.TOO_MANY_REQUESTS
                    || status == RestStatus.BAD_GATEWAY
                    || status == RestStatus.SERVICE_UNAVAILABLE
                    || status == RestStatus.GATEWAY_TIMEOUT;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
