package io.github.redisessync.job;

import io.github.redisessync.job.mapping.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each dead letter as one WARN line of the {@code io.github.redisessync.deadletter} logger,
 * with the key, the target index and the reason, so that nothing rejected goes unrecorded.
 */
public class DeadLetterLogSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final Logger DEAD_LETTERS =
            LoggerFactory.getLogger("io.github.redisessync.deadletter");

    @Override
    @Deprecated
    public SinkWriter<DeadLetter> createWriter(InitContext context) {
        return new Writer();
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return new Writer();
    }

    private static final class Writer implements SinkWriter<DeadLetter> {
        @Override
        public void write(DeadLetter letter, Context context) {
            DEAD_LETTERS.warn(
                    "Dead letter: key '{}' (index {}): {} Value: {}",
                    letter.getKey(),
                    letter.getIndex(),
                    letter.getReason(),
                    letter.getExcerpt());
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
