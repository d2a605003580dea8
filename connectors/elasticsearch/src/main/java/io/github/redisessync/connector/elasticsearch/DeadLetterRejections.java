package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.time.Instant;
import org.apache.flink.metrics.MetricGroup;

/**
 * Logs each rejected document as {@link LogRejectedDocuments} does and stores it in the configured
 * dead-letter target as a {@link DeadLetterRecord} of stage {@code elasticsearch}.
 */
public final class DeadLetterRejections implements RejectedDocumentHandler {
    private static final long serialVersionUID = 1L;

    private final DeadLetterOutputs outputs;
    private transient DeadLetterOutput output;
    private transient String jobName;

    public DeadLetterRejections(DeadLetterOutputs outputs) {
        this.outputs = outputs;
    }

    @Override
    public void open(int subtask, String jobName, MetricGroup metrics) {
        this.output = outputs.open(DeadLetterRecord.ELASTICSEARCH, subtask, metrics);
        this.jobName = jobName;
    }

    @Override
    public void rejected(RejectedDocument document) {
        LogRejectedDocuments.log(document);
        if (output != null) {
            output.add(DeadLetterRecord.rejected(document, Instant.now(), jobName));
        }
    }

    @Override
    public int pending() {
        return output == null ? 0 : output.pending();
    }

    @Override
    public void flush() throws IOException {
        if (output != null) {
            output.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (output != null) {
            output.close();
            output = null;
        }
    }
}
