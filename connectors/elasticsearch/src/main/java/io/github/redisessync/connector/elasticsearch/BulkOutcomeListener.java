package io.github.redisessync.connector.elasticsearch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.rest.RestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts the failed items of each bulk response by class before the connector's writer sees them.
 *
 * <p>The 3.0.1 {@code ElasticsearchWriter} fails the job on any failed item. Two classes are
 * expected and must not do that: a 409 version conflict means Elasticsearch already holds a newer
 * (or the same) version of the document, so the write is a no-op by design and is only counted; a
 * 400 means Elasticsearch refuses the document's content (mapping conflict, unparsable value),
 * which a retry cannot fix, so it goes to the {@link RejectedDocumentHandler} with key, reason and
 * excerpt. Everything else (429 after the retries, 5xx, a missing index) reaches the writer's
 * listener unchanged and fails the job, which then restarts from its last checkpoint.
 *
 * <p>Items the bulk processor retried after a 429 are counted by {@link ItemRetries}, which learns
 * here which bulk is new.
 *
 * <p>When only expected failures occurred, the writer gets the original request (it subtracts its
 * action count from its pending actions) with a response holding the other items only.
 */
final class BulkOutcomeListener implements BulkProcessor.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(BulkOutcomeListener.class);
    static final int EXCERPT_CHARS = 200;

    private final BulkProcessor.Listener writerListener;
    private final RejectedDocumentHandler rejections;
    private final Counter versionConflicts;
    private final Counter rejected;
    private final ItemRetries itemRetries;

    BulkOutcomeListener(
            BulkProcessor.Listener writerListener,
            RejectedDocumentHandler rejections,
            Counter versionConflicts,
            Counter rejected,
            ItemRetries itemRetries) {
        this.writerListener = writerListener;
        this.rejections = rejections;
        this.versionConflicts = versionConflicts;
        this.rejected = rejected;
        this.itemRetries = itemRetries;
    }

    @Override
    public void beforeBulk(long executionId, BulkRequest request) {
        itemRetries.announce(request);
        writerListener.beforeBulk(executionId, request);
    }

    @Override
    public void afterBulk(long executionId, BulkRequest request, BulkResponse response) {
        if (!response.hasFailures()) {
            writerListener.afterBulk(executionId, request, response);
            return;
        }
        // Items are matched to requests by index and id, not by position: after the bulk
        // processor retried some items (429), the merged response is no longer in request order.
        Map<String, DocWriteRequest<?>> requests = new HashMap<>();
        for (DocWriteRequest<?> r : request.requests()) {
            requests.put(r.index() + '/' + r.id(), r);
        }
        List<BulkItemResponse> kept = new ArrayList<>();
        boolean unexpected = false;
        for (BulkItemResponse item : response.getItems()) {
            if (!item.isFailed()) {
                kept.add(item);
                continue;
            }
            RestStatus status = item.getFailure().getStatus();
            DocWriteRequest<?> sent = requests.get(item.getIndex() + '/' + item.getId());
            if (status == RestStatus.CONFLICT) {
                versionConflicts.inc();
                LOG.debug(
                        "Skipped stale write of {}/{}: Elasticsearch holds a newer version.",
                        item.getIndex(),
                        item.getId());
            } else if (status == RestStatus.BAD_REQUEST) {
                rejected.inc();
                rejections.rejected(rejection(item, sent));
            } else {
                unexpected = true;
            }
        }
        if (unexpected) {
            writerListener.afterBulk(executionId, request, response);
        } else {
            writerListener.afterBulk(
                    executionId,
                    request,
                    new BulkResponse(
                            kept.toArray(new BulkItemResponse[0]),
                            response.getTook().millis(),
                            response.getIngestTookInMillis()));
        }
    }

    @Override
    public void afterBulk(long executionId, BulkRequest request, Throwable failure) {
        writerListener.afterBulk(executionId, request, failure);
    }

    static RejectedDocument rejection(BulkItemResponse item, DocWriteRequest<?> sent) {
        String key = null;
        long version = -1;
        if (sent instanceof TrackedRequests.Tracked) {
            key = ((TrackedRequests.Tracked) sent).redisKey();
            version = ((TrackedRequests.Tracked) sent).documentVersion();
        }
        String excerpt = "";
        if (sent instanceof IndexRequest && ((IndexRequest) sent).source() != null) {
            String text = ((IndexRequest) sent).source().utf8ToString();
            excerpt =
                    text.length() <= EXCERPT_CHARS
                            ? text
                            : text.substring(0, EXCERPT_CHARS) + "...";
        }
        return new RejectedDocument(
                key,
                item.getIndex(),
                item.getId(),
                version,
                item.getFailure().getMessage(),
                excerpt);
    }
}
