package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.util.function.BiConsumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk sessions of the document sink: reads the server version when a writer starts (REST
 * compatibility headers for 8.x and later), retries transient failures, and sorts item failures
 * into version conflicts, rejected documents and the rest, each with its counter.
 */
final class DocumentBulkSessions implements BulkSessionFactory {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentBulkSessions.class);

    /** Writes Elasticsearch refused because it holds a newer version (409), skipped. */
    public static final String VERSION_CONFLICTS = "versionConflictsSkipped";

    /** Documents Elasticsearch refused for their content (400), sent to the dead letters. */
    public static final String REJECTED = "documentsRejected";

    /** Bulk requests sent again after a connection error, 429 or 502-504. */
    public static final String RETRIES = "bulkRequestsRetried";

    private final RejectedDocumentHandler rejections;
    private final ElasticsearchCredentials credentials;
    private final int maxRetries;
    private final long firstDelayMillis;
    // Set only on the copy built inside a running writer, which is never serialized.
    private final transient MetricGroup metrics;

    DocumentBulkSessions(
            RejectedDocumentHandler rejections,
            ElasticsearchCredentials credentials,
            int maxRetries,
            long firstDelayMillis,
            MetricGroup metrics) {
        this.rejections = rejections;
        this.credentials = credentials;
        this.maxRetries = maxRetries;
        this.firstDelayMillis = firstDelayMillis;
        this.metrics = metrics;
    }

    @Override
    public BulkSession open(RestHighLevelClient client, BulkProcessor.Listener writerListener) {
        String version;
        try {
            version =
                    ElasticsearchServerVersion.read(
                            client.getLowLevelClient(), credentials.apply(RequestOptions.DEFAULT));
        } catch (IOException | RuntimeException e) {
            throw new ElasticsearchAccessException(
                    "Cannot read the version of Elasticsearch at "
                            + client.getLowLevelClient().getNodes()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        RequestOptions compatibility = ElasticsearchServerVersion.requestOptionsFor(version);
        RequestOptions options = credentials.apply(compatibility);
        LOG.info(
                "Sink writer talks to Elasticsearch {}{} ({}).",
                version,
                compatibility == RequestOptions.DEFAULT
                        ? ""
                        : " with REST compatibility headers (v7)",
                credentials);
        rejections.open(client, options);
        BiConsumer<BulkRequest, ActionListener<BulkResponse>> sender =
                new RetryingBulkSender(
                        client, options, maxRetries, firstDelayMillis, counter(RETRIES));
        BulkProcessor.Listener listener =
                new BulkOutcomeListener(
                        writerListener, rejections, counter(VERSION_CONFLICTS), counter(REJECTED));
        return new BulkSession() {
            @Override
            public BiConsumer<BulkRequest, ActionListener<BulkResponse>> sender() {
                return sender;
            }

            @Override
            public BulkProcessor.Listener listener() {
                return listener;
            }
        };
    }

    private Counter counter(String name) {
        return metrics == null ? new SimpleCounter() : metrics.counter(name);
    }
}
