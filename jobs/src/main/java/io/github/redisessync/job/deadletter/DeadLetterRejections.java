package io.github.redisessync.job.deadletter;

import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import io.github.redisessync.connector.elasticsearch.RejectedDocumentHandler;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.metrics.MetricGroup;

/**
 * Logs each rejected document as one WARN line, like the mapping's dead letters, and stores it in
 * the configured dead-letter target as a {@link DeadLetterRecord} of stage {@code elasticsearch}.
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
        DeadLetterSink.DEAD_LETTERS.warn(
                "Dead letter: key '{}' (index {}, id {}): the server rejected the document: {}"
                        + " Value: {}",
                document.origin(),
                document.index(),
                document.id(),
                document.reason(),
                document.excerpt());
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
