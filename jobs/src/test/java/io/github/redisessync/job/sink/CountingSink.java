package io.github.redisessync.job.sink;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Wraps a sink and counts, in this JVM and across restarts of the job, the records handed to its
 * writers: the sink's records-out summed over every attempt, which a task's own metrics (reset on
 * restart) do not give. What the sink adds in front of its writers (the version gate) stays.
 */
final class CountingSink<T> implements Sink<T>, SupportsPreWriteTopology<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> WRITERS = new ConcurrentHashMap<>();

    private final Sink<T> delegate;
    private final String name;

    CountingSink(Sink<T> delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    static long count(String name) {
        return COUNTS.getOrDefault(name, new AtomicLong()).get();
    }

    /** Writers created so far: the parallelism, plus the same again for each restart. */
    static long writers(String name) {
        return WRITERS.getOrDefault(name, new AtomicLong()).get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public DataStream<T> addPreWriteTopology(DataStream<T> input) {
        return delegate instanceof SupportsPreWriteTopology
                ? ((SupportsPreWriteTopology<T>) delegate).addPreWriteTopology(input)
                : input;
    }

    @Override
    @Deprecated
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return counting(delegate.createWriter(context));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return counting(delegate.createWriter(context));
    }

    private SinkWriter<T> counting(SinkWriter<T> writer) {
        AtomicLong count = COUNTS.computeIfAbsent(name, n -> new AtomicLong());
        WRITERS.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) throws IOException, InterruptedException {
                count.incrementAndGet();
                writer.write(element, context);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }
}
