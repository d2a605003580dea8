package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

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
        return createWriter(context, context.metricGroup(), sink -> sink.createWriter(context));
    }

    @Override
    public SinkWriter<DocumentAction> createWriter(WriterInitContext context) throws IOException {
        return createWriter(context, context.metricGroup(), sink -> sink.createWriter(context));
    }

    /** For either context: our rejections and bulk sessions, then the connector's writer. */
    private SinkWriter<DocumentAction> createWriter(
            org.apache.flink.api.connector.sink2.InitContext context,
            SinkWriterMetricGroup metrics,
            WriterOfSink create)
            throws IOException {
        rejections.open(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getJobInfo().getJobName(),
                metrics);
        DocumentBulkSessions sessions = sessions(metrics);
        try {
            return new ClosingWriter(
                    create.apply(ElasticsearchDocumentSinkFactory.build(options, sessions)),
                    sessions,
                    rejections);
        } catch (IOException | RuntimeException e) {
            closeQuietly(sessions, rejections, e);
            throw e;
        }
    }

    /** {@code createWriter} of the connector's sink, with one kind of context or the other. */
    @FunctionalInterface
    private interface WriterOfSink {
        SinkWriter<DocumentAction> apply(Sink<DocumentAction> sink) throws IOException;
    }

    private static void closeQuietly(
            DocumentBulkSessions sessions, RejectedDocumentHandler rejections, Exception failure) {
        try {
            sessions.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            rejections.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private DocumentBulkSessions sessions(MetricGroup metrics) {
        return new DocumentBulkSessions(rejections, credentials, tls, options, metrics);
    }

    /**
     * The connector's writer, the bulk session's own client closed after it, and the rejected
     * documents stored after each of its flushes. The connector's {@code
     * ElasticsearchWriter.close()} closes its bulk processor (the last flush goes through our
     * client) and then only its own client; nothing in 3.0.1 calls back into the session when the
     * writer closes, so this wrapper is the one place that knows when ours may go.
     *
     * <p>The writer's flush returns once every bulk it sent has been answered, and our listener
     * hands rejections over before the writer sees an answer; so flushing the rejections right
     * after it stores every rejection of what the checkpoint covers before the checkpoint
     * completes.
     */
    private static final class ClosingWriter implements SinkWriter<DocumentAction> {
        private final SinkWriter<DocumentAction> writer;
        private final DocumentBulkSessions sessions;
        private final RejectedDocumentHandler rejections;

        ClosingWriter(
                SinkWriter<DocumentAction> writer,
                DocumentBulkSessions sessions,
                RejectedDocumentHandler rejections) {
            this.writer = writer;
            this.sessions = sessions;
            this.rejections = rejections;
        }

        @Override
        public void write(DocumentAction element, Context context)
                throws IOException, InterruptedException {
            writer.write(element, context);
            // Stored here too when many pile up between checkpoints, so the buffer stays bounded.
            if (rejections.pending() >= DeadLetterOutput.FLUSH_AT) {
                rejections.flush();
            }
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            writer.writeWatermark(watermark);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
            rejections.flush();
        }

        @Override
        public void close() throws Exception {
            try {
                writer.close();
            } finally {
                try {
                    sessions.close();
                } finally {
                    rejections.close();
                }
            }
        }
    }
}
