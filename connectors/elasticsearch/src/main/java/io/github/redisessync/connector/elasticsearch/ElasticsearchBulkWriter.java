package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes document actions in NDJSON {@code _bulk} requests over the low-level REST client, one
 * request in flight at a time, and judges every item's outcome ({@link BulkOutcome}).
 *
 * <p>Threads: everything runs on the task thread. Answers arrive on the client's I/O thread and
 * re-enter through the mailbox, and backoff waits are processing-time timers, which run there too.
 * So the buffer, the queue and the counters need no locks, and a failure thrown while handling an
 * answer fails the task like any other.
 *
 * <p>Order and backpressure: a batch and the retries of its items finish before the next batch is
 * sent, so two writes of one document reach the server in the order the gate passed them, also when
 * one of them was refused with 429 and retried. While a batch is in flight the task fills the next
 * buffer; once that is full, {@link #write} yields to the mailbox until the batch is done.
 *
 * <p>Checkpoints: {@link #flush} sends the buffer and yields until every batch is answered and
 * every rejection is stored, so a completed checkpoint covers every write before its barrier (an
 * at-least-once delivery whose replays the external versions make harmless).
 */
final class ElasticsearchBulkWriter implements SinkWriter<DocumentAction> {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchBulkWriter.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final long MAX_BACKOFF_MILLIS = 300_000;

    /** Writes refused because the server holds a newer version (409), skipped. */
    static final String VERSION_CONFLICTS = "versionConflictsSkipped";

    /** Documents refused for their content (400) or size (413), sent to the dead letters. */
    static final String REJECTED = "documentsRejected";

    /** Bulk requests sent again after a connection error, 429 or 5xx. */
    static final String RETRIES = "bulkRequestsRetried";

    /** Items of a bulk refused with 429 or 5xx and sent again. */
    static final String ITEM_RETRIES = "bulkItemsRetried";

    /** Bulk requests split in two after the server refused them as too large (413). */
    static final String SPLITS = "bulkRequestsSplit";

    private final RestClient client;
    private final String server;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timers;
    private final RejectedDocumentHandler rejections;
    private final BulkLimits limits;
    private final Counter versionConflicts;
    private final Counter rejected;
    private final Counter retries;
    private final Counter itemRetries;
    private final Counter splits;
    private final Counter recordsSent;
    private final Counter bytesSent;

    private List<DocumentAction> buffer = new ArrayList<>();
    private long bufferBytes;
    private long bufferSince;
    // The head is in flight or waiting for its backoff; the rest wait their turn (413 halves).
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private volatile long lastSendMillis;
    private volatile boolean closed;

    /** Writes of one bulk request and how often it was tried. */
    private record Batch(List<DocumentAction> actions, int requestAttempt, int itemAttempt) {}

    ElasticsearchBulkWriter(
            RestClient client,
            String server,
            MailboxExecutor mailbox,
            ProcessingTimeService timers,
            SinkWriterMetricGroup metrics,
            RejectedDocumentHandler rejections,
            BulkLimits limits) {
        this.client = client;
        this.server = server;
        this.mailbox = mailbox;
        this.timers = timers;
        this.rejections = rejections;
        this.limits = limits;
        this.versionConflicts = metrics.counter(VERSION_CONFLICTS);
        this.rejected = metrics.counter(REJECTED);
        this.retries = metrics.counter(RETRIES);
        this.itemRetries = metrics.counter(ITEM_RETRIES);
        this.splits = metrics.counter(SPLITS);
        this.recordsSent = metrics.getNumRecordsSendCounter();
        this.bytesSent = metrics.getNumBytesSendCounter();
        metrics.setCurrentSendTimeGauge(() -> lastSendMillis);
    }

    @Override
    public void write(DocumentAction action, Context context)
            throws IOException, InterruptedException {
        if (action.getOp() == DocumentAction.Op.INDEX
                && (action.getSource() == null
                        || !BulkRequestBody.isSingleLine(action.getSource()))) {
            reject(action, "invalid_source: the document source is not single-line JSON");
            return;
        }
        if (buffer.isEmpty()) {
            bufferSince = timers.getCurrentProcessingTime();
            timers.registerTimer(bufferSince + limits.intervalMillis(), this::onInterval);
        }
        buffer.add(action);
        bufferBytes += BulkRequestBody.estimatedBytes(action);
        // Backpressure: a full buffer waits while the batch before it is in flight. The answer
        // to that batch may send this buffer itself (afterBatch), which ends the wait at once.
        while (bufferFull() && !queue.isEmpty()) {
            mailbox.yield();
        }
        if (bufferFull()) {
            enqueueBuffer();
        }
        // Stored here too when many pile up between checkpoints, so their buffer stays bounded.
        if (rejections.pending() >= RejectedDocumentHandler.FLUSH_AT) {
            rejections.flush();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        enqueueBuffer();
        while (!queue.isEmpty()) {
            mailbox.yield();
        }
        rejections.flush();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        client.close();
    }

    private void onInterval(long time) {
        if (buffer.isEmpty() || !queue.isEmpty()) {
            return; // sent already, or sent when the batch in flight is done (see #afterBatch)
        }
        long due = bufferSince + limits.intervalMillis();
        if (time >= due) {
            enqueueBuffer();
        } else {
            timers.registerTimer(due, this::onInterval); // a timer of an earlier buffer
        }
    }

    private void enqueueBuffer() {
        if (buffer.isEmpty()) {
            return;
        }
        queue.add(new Batch(buffer, 0, 0));
        buffer = new ArrayList<>();
        bufferBytes = 0;
        if (queue.size() == 1) {
            send();
        }
    }

    /** Sends the head of the queue. */
    private void send() {
        Batch batch = queue.peek();
        byte[] body = BulkRequestBody.of(batch.actions());
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", BulkResponseItems.FILTER_PATH);
        request.setEntity(new ByteArrayEntity(body, NDJSON));
        long started = System.currentTimeMillis();
        bytesSent.inc(body.length);
        client.performRequestAsync(
                request,
                new ResponseListener() {
                    @Override
                    public void onSuccess(Response response) {
                        lastSendMillis = System.currentTimeMillis() - started;
                        byte[] answer;
                        try {
                            answer = EntityUtils.toByteArray(response.getEntity());
                        } catch (IOException e) {
                            onFailure(e);
                            return;
                        }
                        toMailbox(() -> onAnswer(batch, answer), "bulk answer");
                    }

                    @Override
                    public void onFailure(Exception e) {
                        toMailbox(() -> onFailedRequest(batch, e), "bulk failure");
                    }
                });
    }

    private void toMailbox(MailboxAction action, String description) {
        if (closed) {
            return;
        }
        try {
            mailbox.execute(action::run, description);
        } catch (RejectedExecutionException e) {
            LOG.debug("The task is closing; dropped the {} of a bulk request.", description);
        }
    }

    @FunctionalInterface
    private interface MailboxAction {
        void run() throws Exception;
    }

    private void onAnswer(Batch batch, byte[] answer) throws IOException {
        List<DocumentAction> actions = batch.actions();
        List<BulkResponseItems.Item> items;
        try {
            items = BulkResponseItems.failuresOrEmpty(answer, actions.size());
        } catch (IOException e) {
            throw new IOException("Cannot read the bulk answer of " + server + ": " + e, e);
        }
        List<DocumentAction> again = new ArrayList<>();
        String againReason = null;
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItems.Item item = items.get(i);
            DocumentAction action = actions.get(i);
            switch (BulkOutcome.ofItem(item)) {
                case WRITTEN:
                    break;
                case VERSION_CONFLICT:
                    versionConflicts.inc();
                    break;
                case REJECTED:
                    reject(action, item.describe());
                    break;
                case RETRY:
                    again.add(action);
                    againReason = item.status() + " " + item.describe();
                    break;
                default:
                    throw BulkFailures.fatal(
                            server
                                    + " refused the write of "
                                    + action.getIndex()
                                    + "/"
                                    + action.getId()
                                    + " (from "
                                    + action.getOrigin()
                                    + ") with "
                                    + item.status()
                                    + " "
                                    + item.describe());
            }
        }
        recordsSent.inc(actions.size() - again.size());
        queue.poll();
        if (again.isEmpty()) {
            afterBatch();
            return;
        }
        int attempt = batch.itemAttempt() + 1;
        if (attempt > limits.maxRetries()) {
            throw new IOException(
                    again.size()
                            + " writes still refused by "
                            + server
                            + " after "
                            + limits.maxRetries()
                            + " retries, the last with "
                            + againReason);
        }
        itemRetries.inc(again.size());
        LOG.warn(
                "{} refused {} of {} writes for now ({}); retry {} of {} in {} ms.",
                server,
                again.size(),
                actions.size(),
                againReason,
                attempt,
                limits.maxRetries(),
                backoff(attempt));
        queue.addFirst(new Batch(again, 0, attempt));
        sendAfterBackoff(attempt);
    }

    private void onFailedRequest(Batch batch, Exception e) {
        int status = BulkFailures.status(e);
        List<DocumentAction> actions = batch.actions();
        if (status == 413) {
            queue.poll();
            if (actions.size() == 1) {
                reject(
                        actions.get(0),
                        "document_too_large: the server refused the document as too large (413:"
                                + " it exceeds http.max_content_length)");
                afterBatch();
            } else {
                splits.inc();
                int half = actions.size() / 2;
                queue.addFirst(new Batch(List.copyOf(actions.subList(half, actions.size())), 0, 0));
                queue.addFirst(new Batch(List.copyOf(actions.subList(0, half)), 0, 0));
                LOG.info(
                        "{} refused a bulk of {} writes as too large (413); sending it in halves.",
                        server,
                        actions.size());
                send();
            }
            return;
        }
        String cause = BulkFailures.describe(e);
        if (BulkOutcome.ofRequest(status) == BulkOutcome.FATAL) {
            throw BulkFailures.fatal(
                    server + " refused a bulk request of " + actions.size() + " writes: " + cause);
        }
        int attempt = batch.requestAttempt() + 1;
        if (attempt > limits.maxRetries()) {
            throw new IllegalStateException(
                    "A bulk request of "
                            + actions.size()
                            + " writes to "
                            + server
                            + " failed after "
                            + limits.maxRetries()
                            + " retries: "
                            + cause,
                    e);
        }
        retries.inc();
        LOG.warn(
                "A bulk request of {} writes to {} failed ({}); retry {} of {} in {} ms.",
                actions.size(),
                server,
                cause,
                attempt,
                limits.maxRetries(),
                backoff(attempt));
        queue.poll();
        queue.addFirst(new Batch(actions, attempt, batch.itemAttempt()));
        sendAfterBackoff(attempt);
    }

    /** The next batch: a waiting one, else the buffer if it is due. */
    private void afterBatch() {
        if (!queue.isEmpty()) {
            send();
        } else if (!buffer.isEmpty()
                && (bufferFull()
                        || timers.getCurrentProcessingTime() - bufferSince
                                >= limits.intervalMillis())) {
            enqueueBuffer();
        }
    }

    private boolean bufferFull() {
        return buffer.size() >= limits.maxActions() || bufferBytes >= limits.maxBytes();
    }

    private void sendAfterBackoff(int attempt) {
        timers.registerTimer(timers.getCurrentProcessingTime() + backoff(attempt), t -> send());
    }

    private long backoff(int attempt) {
        return Math.min(limits.firstDelayMillis() << Math.min(attempt - 1, 20), MAX_BACKOFF_MILLIS);
    }

    private void reject(DocumentAction action, String reason) {
        rejected.inc();
        rejections.rejected(
                new RejectedDocument(
                        action.getOrigin(),
                        action.getIndex(),
                        action.getId(),
                        action.getVersion(),
                        reason,
                        BulkFailures.excerpt(action.getSource())));
    }
}
