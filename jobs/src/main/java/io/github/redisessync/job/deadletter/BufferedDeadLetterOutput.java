package io.github.redisessync.job.deadletter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffer the stored outputs share: {@link #add} only buffers (the sink's rejections arrive on
 * the client's I/O thread, which must not block), {@link #flush} stores a copy of the buffer on the
 * task thread and forgets the records only once they are stored, so a failed store loses nothing
 * that a checkpoint covers.
 */
abstract class BufferedDeadLetterOutput implements DeadLetterOutput {
    private final List<DeadLetterRecord> buffer = new ArrayList<>();

    @Override
    public synchronized void add(DeadLetterRecord record) {
        buffer.add(record);
    }

    @Override
    public synchronized int pending() {
        return buffer.size();
    }

    @Override
    public final void flush() throws IOException {
        List<DeadLetterRecord> batch;
        synchronized (this) {
            if (buffer.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(buffer);
        }
        store(batch);
        synchronized (this) {
            buffer.subList(0, batch.size()).clear();
        }
    }

    /** Stores {@code batch} durably, or throws. */
    abstract void store(List<DeadLetterRecord> batch) throws IOException;
}
