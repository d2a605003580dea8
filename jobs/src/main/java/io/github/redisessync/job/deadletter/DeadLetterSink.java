package io.github.redisessync.job.deadletter;

import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each record the mapping refused as one WARN line of the {@code
 * io.github.redisessync.deadletter} logger, with the key, the target index and the reason, and
 * stores it in the configured dead-letter index or file ({@link DeadLetterOutputs}).
 *
 * <p>Stored when the writer flushes, which Flink does before each checkpoint completes, and at the
 * end of a bounded run: a checkpoint never covers a dead letter that is not stored.
 */
public class DeadLetterSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    static final Logger DEAD_LETTERS = LoggerFactory.getLogger("io.github.redisessync.deadletter");

    private final DeadLetterOutputs outputs;

    /** Dead letters only logged. */
    public DeadLetterSink() {
        this(DeadLetterOutputs.log());
    }

    public DeadLetterSink(DeadLetterOutputs outputs) {
        this.outputs = outputs;
    }

    @Override
    @Deprecated
    public SinkWriter<DeadLetter> createWriter(InitContext context) {
        return writer(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getJobInfo().getJobName(),
                context.metricGroup());
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return writer(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getJobInfo().getJobName(),
                context.metricGroup());
    }

    private SinkWriter<DeadLetter> writer(int subtask, String jobName, MetricGroup metrics) {
        return new Writer(outputs.open(DeadLetterRecord.MAPPING, subtask, metrics), jobName);
    }

    /** The stored form of a mapping dead letter; the mapper knows no document id. */
    static DeadLetterRecord record(DeadLetter letter, Instant time, String jobName) {
        return new DeadLetterRecord(
                DeadLetterRecord.MAPPING,
                letter.getKey(),
                letter.getIndex(),
                null,
                letter.getVersion(),
                letter.getReasonCode(),
                letter.getReason(),
                letter.getExcerpt(),
                time,
                jobName);
    }

    private static final class Writer implements SinkWriter<DeadLetter> {
        private final DeadLetterOutput output;
        private final String jobName;

        Writer(DeadLetterOutput output, String jobName) {
            this.output = output;
            this.jobName = jobName;
        }

        @Override
        public void write(DeadLetter letter, Context context) throws IOException {
            DEAD_LETTERS.warn(
                    "Dead letter: key '{}' (index {}): {} Value: {}",
                    letter.getKey(),
                    letter.getIndex(),
                    letter.getReason(),
                    letter.getExcerpt());
            output.add(record(letter, Instant.now(), jobName));
            if (output.pending() >= DeadLetterOutput.FLUSH_AT) {
                output.flush();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            output.flush();
        }

        @Override
        public void close() throws IOException {
            output.close();
        }
    }
}
