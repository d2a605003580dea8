package io.github.redisessync.job.local;

import io.github.redisessync.job.mapping.RecordMappingFunction;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the running job's progress every few seconds: keys read, the share of the estimated total
 * (DBSIZE at start, which counts keys of every pattern and none) with an ETA while the snapshot
 * runs, then keys per second as the tail follows changes; documents per index, dead letters.
 */
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
    private final long totalEstimate;

    /** {@code totalEstimate}: keys in the database when the job started; 0 when unknown. */
    ProgressReporter(JobClient job, Duration every, long totalEstimate) {
        this.job = job;
        this.totalEstimate = totalEstimate;
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
        double overall = keys / Math.max(1e-9, (now - startNanos) / 1e9);
        String share =
                totalEstimate > 0 && keys < totalEstimate
                        ? String.format(
                                Locale.ROOT,
                                " of ~%d (%.0f%%, ETA %.0f s)",
                                totalEstimate,
                                100.0 * keys / totalEstimate,
                                (totalEstimate - keys) / Math.max(1e-9, overall))
                        : "";
        LOG.info(
                "Progress after {} s: {} keys read{} ({} keys/s), documents {}, dead letters {}",
                String.format(Locale.ROOT, "%.0f", (now - startNanos) / 1e9),
                keys,
                share,
                String.format(Locale.ROOT, "%.0f", rate),
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
