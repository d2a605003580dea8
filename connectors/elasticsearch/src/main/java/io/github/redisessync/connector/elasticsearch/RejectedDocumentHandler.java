package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.metrics.MetricGroup;

/**
 * Where the sink puts documents Elasticsearch rejects for their content, instead of failing the
 * job. Each sink writer has its own instance (the sink is deserialized per subtask).
 *
 * <p>{@link #rejected} is called on the client's I/O thread and must not block; the other methods
 * on the task thread. The writer calls {@link #flush()} after its own flush has seen the answer to
 * every bulk it sent, so before each checkpoint completes every rejection of the documents that
 * checkpoint covers has been handed over and stored.
 */
public interface RejectedDocumentHandler extends Serializable {

    /** Pending rejections past which the writer has them stored at once, bounding the buffer. */
    int FLUSH_AT = 500;

    /** Called once per sink writer, before any document is rejected. */
    default void open(int subtask, String jobName, MetricGroup metrics) {}

    void rejected(RejectedDocument document);

    /** Rejections handed over and not stored yet. */
    default int pending() {
        return 0;
    }

    /** Stores every rejection handed over so far; blocks. */
    default void flush() throws IOException {}

    /** Releases what {@link #open} took; rejections not flushed are dropped. */
    default void close() throws IOException {}
}
