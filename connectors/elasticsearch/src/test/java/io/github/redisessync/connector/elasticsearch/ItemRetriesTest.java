package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.metrics.SimpleCounter;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BackoffPolicy;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.index.IndexResponse;
import org.elasticsearch.common.unit.TimeValue;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.shard.ShardId;
import org.junit.jupiter.api.Test;

/**
 * Counting the items the bulk processor retries after a 429, with the real Elasticsearch 7.10
 * {@link BulkProcessor} (as the connector's writer configures it: no concurrent requests) and a
 * sender that answers without a network.
 */
class ItemRetriesTest {

    @Test
    void theAnnouncedBulkIsNotARetryAndAnyOtherRequestCountsItsActions() {
        SimpleCounter counter = new SimpleCounter();
        ItemRetries retries = new ItemRetries(counter);
        BulkRequest first = bulk("a", "b", "c");
        retries.announce(first);

        assertThat(retries.isRetry(first)).isFalse();
        assertThat(retries.isRetry(bulk("b", "c"))).isTrue();
        assertThat(retries.isRetry(bulk("c"))).isTrue();
        assertThat(counter.getCount()).isEqualTo(3);

        BulkRequest second = bulk("d");
        retries.announce(second);
        assertThat(retries.isRetry(second)).isFalse();
        assertThat(counter.getCount()).isEqualTo(3);
    }

    @Test
    void countsTheItemsTheBulkProcessorSendsAgainAfterA429() throws Exception {
        SimpleCounter counter = new SimpleCounter();
        ItemRetries retries = new ItemRetries(counter);
        // The first answer refuses b and d with 429, the second (of b and d) refuses d again, the
        // third accepts it: 2 + 1 items retried in two retries.
        Answers server = new Answers(List.of(List.of("b", "d"), List.of("d")));
        List<BulkResponse> outcomes = new ArrayList<>();
        BulkProcessor processor =
                BulkProcessor.builder(
                                retries.counting(server),
                                new BulkOutcomeListener(
                                        new RecordingWriterListener(outcomes),
                                        new LogRejectedDocuments(),
                                        new SimpleCounter(),
                                        new SimpleCounter(),
                                        retries))
                        .setConcurrentRequests(0)
                        .setBulkActions(-1)
                        .setBackoffPolicy(
                                BackoffPolicy.constantBackoff(TimeValue.timeValueMillis(1), 3))
                        .build();
        try {
            for (String id : List.of("a", "b", "c", "d", "e")) {
                processor.add(index(id));
            }
            processor.flush();
            assertThat(server.received).containsExactly(5, 2, 1);
            assertThat(counter.getCount()).isEqualTo(3);
            assertThat(outcomes).hasSize(1);
            assertThat(outcomes.get(0).hasFailures()).isFalse();

            // The next bulk is announced anew: not a retry.
            processor.add(index("f"));
            processor.flush();
            assertThat(server.received).containsExactly(5, 2, 1, 1);
            assertThat(counter.getCount()).isEqualTo(3);
            assertThat(outcomes).hasSize(2);
        } finally {
            assertThat(processor.awaitClose(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static BulkRequest bulk(String... ids) {
        BulkRequest request = new BulkRequest();
        for (String id : ids) {
            request.add(index(id));
        }
        return request;
    }

    private static IndexRequest index(String id) {
        return new IndexRequest("orders").id(id).source("{\"n\":1}", XContentType.JSON);
    }

    /** Answers each bulk at once, refusing with 429 the ids listed for that call, if any. */
    private static final class Answers
            implements BiConsumer<BulkRequest, ActionListener<BulkResponse>> {
        private final List<List<String>> refusals;
        final List<Integer> received = new ArrayList<>();

        Answers(List<List<String>> refusals) {
            this.refusals = refusals;
        }

        @Override
        public synchronized void accept(
                BulkRequest request, ActionListener<BulkResponse> listener) {
            int call = received.size();
            received.add(request.numberOfActions());
            List<String> refused = call < refusals.size() ? refusals.get(call) : List.of();
            List<BulkItemResponse> items = new ArrayList<>();
            int position = 0;
            for (DocWriteRequest<?> item : request.requests()) {
                items.add(
                        refused.contains(item.id())
                                ? new BulkItemResponse(
                                        position,
                                        DocWriteRequest.OpType.INDEX,
                                        new BulkItemResponse.Failure(
                                                item.index(),
                                                "_doc",
                                                item.id(),
                                                new EsRejectedExecutionException("queue full")))
                                : new BulkItemResponse(
                                        position,
                                        DocWriteRequest.OpType.INDEX,
                                        new IndexResponse(
                                                new ShardId(item.index(), "_na_", 0),
                                                "_doc",
                                                item.id(),
                                                1,
                                                1,
                                                1,
                                                true)));
                position++;
            }
            listener.onResponse(new BulkResponse(items.toArray(new BulkItemResponse[0]), 1));
        }
    }

    /** Stands in for the connector's writer: keeps the outcome of each bulk. */
    private static final class RecordingWriterListener implements BulkProcessor.Listener {
        private final List<BulkResponse> outcomes;

        RecordingWriterListener(List<BulkResponse> outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public void beforeBulk(long executionId, BulkRequest request) {}

        @Override
        public synchronized void afterBulk(
                long executionId, BulkRequest request, BulkResponse response) {
            outcomes.add(response);
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, Throwable failure) {
            throw new AssertionError("The bulk failed as a whole", failure);
        }
    }
}
