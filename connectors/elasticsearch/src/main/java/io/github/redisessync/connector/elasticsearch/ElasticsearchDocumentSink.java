package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import org.apache.flink.api.common.eventtime.Watermark;
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
    private final ElasticsearchTls tls;

    ElasticsearchDocumentSink(
            Configuration options,
            RejectedDocumentHandler rejections,
            ElasticsearchCredentials credentials,
            ElasticsearchTls tls) {
        this.options = new Configuration(options);
        this.rejections = rejections;
        this.credentials = credentials;
        this.tls = tls;
    }

    @Override
    @Deprecated
    public SinkWriter<DocumentAction> createWriter(InitContext context) throws IOException {
        DocumentBulkSessions sessions = sessions(context.metricGroup());
        try {
            return new ClosingWriter(
                    ElasticsearchDocumentSinkFactory.build(options, sessions).createWriter(context),
                    sessions);
        } catch (IOException | RuntimeException e) {
            sessions.close();
            throw e;
        }
    }

    @Override
    public SinkWriter<DocumentAction> createWriter(WriterInitContext context) throws IOException {
        DocumentBulkSessions sessions = sessions(context.metricGroup());
        try {
            return new ClosingWriter(
                    ElasticsearchDocumentSinkFactory.build(options, sessions).createWriter(context),
                    sessions);
        } catch (IOException | RuntimeException e) {
            sessions.close();
            throw e;
        }
    }

    private DocumentBulkSessions sessions(MetricGroup metrics) {
        return new DocumentBulkSessions(rejections, credentials, tls, options, metrics);
    }

    /**
     * The connector's writer, and the bulk session's own client closed after it. The connector's
     * {@code ElasticsearchWriter.close()} closes its bulk processor (the last flush goes through
     * our client) and then only its own client; nothing in 3.0.1 calls back into the session when
     * the writer closes, so this wrapper is the one place that knows when ours may go.
     */
    private static final class ClosingWriter implements SinkWriter<DocumentAction> {
        private final SinkWriter<DocumentAction> writer;
        private final DocumentBulkSessions sessions;

        ClosingWriter(SinkWriter<DocumentAction> writer, DocumentBulkSessions sessions) {
            this.writer = writer;
            this.sessions = sessions;
        }

        @Override
        public void write(DocumentAction element, Context context)
                throws IOException, InterruptedException {
            writer.write(element, context);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            writer.writeWatermark(watermark);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
        }

        @Override
        public void close() throws Exception {
            try {
                writer.close();
            } finally {
                sessions.close();
            }
        }
    }
}
