package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestClientBuilder;
import org.elasticsearch.client.RestHighLevelClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk sessions of the document sink: reads the server version when a writer starts (REST
 * compatibility headers for 8.x and later), retries transient failures, counts the items the bulk
 * processor retries after a 429, and sorts item failures into version conflicts, rejected documents
 * and the rest, each with its counter.
 *
 * <p>Bulks go through a client of the session's own, not the one the connector's writer builds: the
 * 3.0.1 builder has no hook for an SSL context, so its client can only trust the JVM's CAs. Ours
 * uses the configured TLS files ({@link ElasticsearchTls}) and has the sink's timeouts; the
 * connector's client stays idle. {@link #close()} closes ours, after the writer has closed (see
 * {@link ElasticsearchDocumentSink}).
 */
final class DocumentBulkSessions implements BulkSessionFactory, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentBulkSessions.class);

    /** Writes Elasticsearch refused because it holds a newer version (409), skipped. */
    public static final String VERSION_CONFLICTS = "versionConflictsSkipped";

    /** Documents Elasticsearch refused for their content (400), sent to the dead letters. */
    public static final String REJECTED = "documentsRejected";

    /** Bulk requests sent again after a connection error, 429 or 502-504. */
    public static final String RETRIES = "bulkRequestsRetried";

    /** Items of a bulk refused with 429 that the connector's bulk processor sent again. */
    public static final String ITEM_RETRIES = "bulkItemsRetried";

    private final RejectedDocumentHandler rejections;
    private final ElasticsearchCredentials credentials;
    private final ElasticsearchTls tls;
    private final List<String> urls;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final int maxRetries;
    private final long firstDelayMillis;
    // Set only on the copy built inside a running writer, which is never serialized.
    private final transient MetricGroup metrics;
    private transient List<RestHighLevelClient> clients;

    /** {@code options}: the sink's, hosts without credentials. */
    DocumentBulkSessions(
            RejectedDocumentHandler rejections,
            ElasticsearchCredentials credentials,
            ElasticsearchTls tls,
            ReadableConfig options,
            MetricGroup metrics) {
        this.rejections = rejections;
        this.credentials = credentials;
        this.tls = tls;
        this.urls = List.copyOf(options.get(ElasticsearchSinkOptions.HOSTS));
        this.connectTimeout = options.get(ElasticsearchSinkOptions.CONNECTION_TIMEOUT);
        this.socketTimeout = options.get(ElasticsearchSinkOptions.SOCKET_TIMEOUT);
        this.maxRetries = options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES);
        this.firstDelayMillis =
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY).toMillis();
        this.metrics = metrics;
    }

    /**
     * @param connectorClient the writer's client, unused: it cannot trust a CA file
     */
    @Override
    public BulkSession open(
            RestHighLevelClient connectorClient, BulkProcessor.Listener writerListener) {
        RestClientBuilder builder =
                ElasticsearchRestClients.builder(urls, tls, connectTimeout, socketTimeout);
        RestHighLevelClient client = new RestHighLevelClient(builder);
        synchronized (this) {
            if (clients == null) {
                clients = new ArrayList<>();
            }
            clients.add(client);
        }
        String version;
        try {
            version =
                    ElasticsearchServerVersion.read(
                            client.getLowLevelClient(), credentials.apply(RequestOptions.DEFAULT));
        } catch (IOException | RuntimeException e) {
            throw new ElasticsearchAccessException(
                    "Cannot read the version of Elasticsearch at "
                            + String.join(", ", urls)
                            + ": "
                            + e.getMessage()
                            + ElasticsearchTls.hint(e)
                            + credentials.hint(e),
                    e);
        }
        RequestOptions compatibility = ElasticsearchServerVersion.requestOptionsFor(version);
        RequestOptions options = credentials.apply(compatibility);
        LOG.info(
                "Sink writer talks to Elasticsearch {}{} ({}, {}).",
                version,
                compatibility == RequestOptions.DEFAULT
                        ? ""
                        : " with REST compatibility headers (v7)",
                credentials,
                tls);
        ItemRetries itemRetries = new ItemRetries(counter(ITEM_RETRIES));
        BiConsumer<BulkRequest, ActionListener<BulkResponse>> sender =
                itemRetries.counting(
                        new RetryingBulkSender(
                                client, options, maxRetries, firstDelayMillis, counter(RETRIES)));
        BulkProcessor.Listener listener =
                new BulkOutcomeListener(
                        writerListener,
                        rejections,
                        counter(VERSION_CONFLICTS),
                        counter(REJECTED),
                        itemRetries);
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

    /** Closes the clients {@link #open} built; the writer's bulk processor must be closed. */
    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (RestHighLevelClient client :
                clients == null ? List.<RestHighLevelClient>of() : clients) {
            try {
                client.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        clients = null;
        if (failure != null) {
            throw failure;
        }
    }

    private Counter counter(String name) {
        return metrics == null ? new SimpleCounter() : metrics.counter(name);
    }
}
