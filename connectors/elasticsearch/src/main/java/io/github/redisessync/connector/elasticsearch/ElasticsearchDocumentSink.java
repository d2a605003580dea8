package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricGroup;

/**
 * The document sink: the connector's {@code ElasticsearchSink}, built per writer so that the bulk
 * session gets the writer's metric group (the connector hands its factory none).
 *
 * <p>Behaves as the connector's sink does: at-least-once, buffered actions flushed before each
 * checkpoint completes, no committer.
 */
public final class ElasticsearchDocumentSink implements Sink<DocumentAction> {
    private static final long serialVersionUID = 1L;

    private final Configuration options;
    private final RejectedDocumentHandler rejections;
    private final ElasticsearchCredentials credentials;

    ElasticsearchDocumentSink(
            Configuration options,
            RejectedDocumentHandler rejections,
            ElasticsearchCredentials credentials) {
        this.options = new Configuration(options);
        this.rejections = rejections;
        this.credentials = credentials;
    }

    @Override
    @Deprecated
    public SinkWriter<DocumentAction> createWriter(InitContext context) throws IOException {
        return ElasticsearchDocumentSinkFactory.build(options, sessions(context.metricGroup()))
                .createWriter(context);
    }

    @Override
    public SinkWriter<DocumentAction> createWriter(WriterInitContext context) throws IOException {
        return ElasticsearchDocumentSinkFactory.build(options, sessions(context.metricGroup()))
                .createWriter(context);
    }

    private DocumentBulkSessions sessions(MetricGroup metrics) {
        return new DocumentBulkSessions(
                rejections,
                credentials,
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES),
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY).toMillis(),
                metrics);
    }
}
