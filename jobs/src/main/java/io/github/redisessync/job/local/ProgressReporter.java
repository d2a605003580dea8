package io.github.redisessync.job.local;

import io.github.redisessync.job.mapping.RecordMappingFunction;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the running job's progress (keys read, documents per index, rate) every few seconds. */
final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final JobClient job;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "progress-reporter");
                        t.setDaemon(true);
                        return t;
                    });
    private static final Duration QUIET_REPORT_EVERY = Duration.ofSeconds(30);

    private long lastKeys = -1;
    private long lastNanos = startNanos;

    ProgressReporter(JobClient job, Duration every) {
        this.job = job;
        timer.scheduleAtFixedRate(
                this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void report() {
        Map<String, Object> accumulators;
        try {
            accumulators = job.getAccumulators().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return; // the job is finishing or not yet running; the next tick or the summary tells
        }
        long keys = asLong(accumulators.get(RecordMappingFunction.KEYS_READ));
        long now = System.nanoTime();
        if (keys == lastKeys && now - lastNanos < QUIET_REPORT_EVERY.toNanos()) {
            return; // a quiet tail: one line every half minute says it is alive
        }
        double rate = (keys - Math.max(0, lastKeys)) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastKeys = keys;
        lastNanos = now;
        Map<String, Long> documents = new TreeMap<>();
        accumulators.forEach(
                (name, value) -> {
                    if (name.startsWith(RecordMappingFunction.DOCUMENTS_PREFIX)) {
                        documents.put(
                                name.substring(RecordMappingFunction.DOCUMENTS_PREFIX.length()),
                                asLong(value));
                    }
                });
        LOG.info(
                "Progress after {} s: {} keys read ({} keys/s), documents {}, dead letters {}",
                String.format("%.0f", (now - startNanos) / 1e9),
                keys,
                String.format("%.0f", rate),
                documents,
                asLong(accumulators.get(RecordMappingFunction.DEAD_LETTER_COUNT)));
    }

    static long asLong(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
