package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The document sink for Elasticsearch 7.x to 9.x and OpenSearch: Flink's Sink V2 with a writer of
 * our own ({@link ElasticsearchBulkWriter}) over the low-level REST client, which speaks plain JSON
 * and NDJSON to every one of them (no compatibility headers, no product check).
 *
 * <p>At-least-once, no committer: each writer flushes before every checkpoint, and every write
 * carries its version, so replays and reordering leave the newest in the index. In front of its
 * writers the sink keys the actions by document and passes them through a {@link
 * DocumentVersionGate}: all writes of one document reach one writer, in order, and stale ones are
 * dropped before they take a place in a bulk.
 */
public final class ElasticsearchDocumentSink
        implements Sink<DocumentAction>, SupportsPreWriteTopology<DocumentAction> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchDocumentSink.class);

    /** The name of the gate in front of the writers, and the end of its uid. */
    public static final String VERSION_GATE = "version-gate";

    private final List<String> urls;
    private final RejectedDocumentHandler rejections;
    private final ElasticsearchCredentials credentials;
    private final ElasticsearchTls tls;
    private final BulkLimits limits;
    private final long connectTimeoutMillis;
    private final long socketTimeoutMillis;
    private final Duration versionGateTtl;

    ElasticsearchDocumentSink(
            List<String> urls,
            RejectedDocumentHandler rejections,
            ElasticsearchCredentials credentials,
            ElasticsearchTls tls,
            BulkLimits limits,
            long connectTimeoutMillis,
            long socketTimeoutMillis,
            Duration versionGateTtl) {
        this.urls = List.copyOf(urls);
        this.rejections = rejections;
        this.credentials = credentials;
        this.tls = tls;
        this.limits = limits;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.socketTimeoutMillis = socketTimeoutMillis;
        this.versionGateTtl = versionGateTtl;
    }

    /**
     * Keys the actions by document into the version gate; the writers follow it on the same
     * subtasks (forward, chained), so the writer of a document is its gate's. Flink prefixes the
     * gate's uid with the sink's: with a sink uid {@code U}, the gate's is {@code "U:
     * version-gate"}, stable across restores and unique per sink.
     */
    @Override
    public DataStream<DocumentAction> addPreWriteTopology(DataStream<DocumentAction> actions) {
        return actions.keyBy(DocumentAction::documentKey)
                .process(new DocumentVersionGate(versionGateTtl))
                .uid(VERSION_GATE)
                .name(VERSION_GATE);
    }

    @Override
    @Deprecated
    public SinkWriter<DocumentAction> createWriter(InitContext context) throws IOException {
        return createWriter(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getJobInfo().getJobName(),
                context.getMailboxExecutor(),
                context.getProcessingTimeService(),
                context.metricGroup());
    }

    @Override
    public SinkWriter<DocumentAction> createWriter(WriterInitContext context) throws IOException {
        return createWriter(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getJobInfo().getJobName(),
                context.getMailboxExecutor(),
                context.getProcessingTimeService(),
                context.metricGroup());
    }

    private SinkWriter<DocumentAction> createWriter(
            int subtask,
            String jobName,
            MailboxExecutor mailbox,
            ProcessingTimeService timers,
            SinkWriterMetricGroup metrics)
            throws IOException {
        RestClient client = client();
        try {
            String server = describeServer(client);
            rejections.open(subtask, jobName, metrics);
            return new ElasticsearchBulkWriter(
                    client, server, mailbox, timers, metrics, rejections, limits);
        } catch (IOException | RuntimeException e) {
            try {
                client.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private RestClient client() {
        return ElasticsearchRestClients.create(
                urls,
                credentials,
                tls,
                Duration.ofMillis(connectTimeoutMillis),
                Duration.ofMillis(socketTimeoutMillis));
    }

    /**
     * What the writer says in its logs and errors, e.g. {@code OpenSearch 3.2.0 at
     * http://host:9200}; refuses a server the job does not support, and one that refuses the
     * credentials, for good (no restart can change either).
     */
    private String describeServer(RestClient client) throws IOException {
        String where = String.join(", ", urls);
        SearchServerInfo info;
        try {
            info = SearchServerInfo.read(client);
        } catch (IOException | RuntimeException e) {
            ElasticsearchAccessException unreadable =
                    new ElasticsearchAccessException(
                            "Cannot read the version of Elasticsearch at "
                                    + where
                                    + ": "
                                    + e.getMessage()
                                    + ElasticsearchTls.hint(e)
                                    + credentials.hint(e),
                            e);
            int status =
                    e instanceof ResponseException response
                            ? response.getResponse().getStatusLine().getStatusCode()
                            : 0;
            // Refused credentials stay refused: failing for good beats a silent restart loop.
            if (status == 401 || status == 403) {
                throw new SuppressRestartsException(unreadable);
            }
            throw unreadable;
        }
        try {
            info.requireSupported(where);
        } catch (ElasticsearchAccessException e) {
            throw new SuppressRestartsException(e);
        }
        LOG.info("Sink writer talks to {} at {} ({}, {}).", info, where, credentials, tls);
        return info + " at " + where + " (" + credentials + ")";
    }
}
