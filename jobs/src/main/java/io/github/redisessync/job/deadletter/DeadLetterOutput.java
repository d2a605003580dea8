package io.github.redisessync.job.deadletter;

import io.github.redisessync.connector.elasticsearch.RejectedDocumentHandler;
import java.io.IOException;

/**
 * Where one writer's dead letters are stored: a dead-letter index or file, or nowhere beyond the
 * log line the caller writes anyway. Records are buffered and stored by {@link #flush()}, which the
 * writers call before each checkpoint completes, so a checkpoint never covers a dead letter that is
 * not stored yet (at-least-once).
 */
public interface DeadLetterOutput extends AutoCloseable {

    /** Buffered records past which the task thread stores them at once, bounding the buffer. */
    int FLUSH_AT = RejectedDocumentHandler.FLUSH_AT;

    /** Keeps nothing: the {@code log} target, where the log line is the record. */
    DeadLetterOutput NONE =
            new DeadLetterOutput() {
                @Override
                public void add(DeadLetterRecord record) {}

                @Override
                public int pending() {
                    return 0;
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    /**
     * Buffers {@code record}. Thread-safe and free of I/O: the sink's rejections arrive on the
     * client's I/O thread, which must not block.
     */
    void add(DeadLetterRecord record);

    /** Records added and not stored yet. */
    int pending();

    /**
     * Stores every record added so far, blocking until they are durable (written and synced, or
     * acknowledged by Elasticsearch). Called on the task thread.
     *
     * @throws IOException when they cannot be stored after the retries; the job then fails and
     *     restarts from its last checkpoint, which reads the keys, and so finds the dead letters,
     *     again
     */
    void flush() throws IOException;

    /**
     * Releases files and clients; records still buffered are dropped (they were not checkpointed).
     */
    @Override
    void close() throws IOException;
}
