package io.github.redisessync.tools.local;

import io.github.redisessync.job.mapping.RecordMappingFunction;
import java.time.Duration;
import java.util.List;
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
 * runs, then keys per second as the tail follows changes; documents per index, dead letters, the
 * age of the oldest change not re-read yet, and {@code stalled} with a WARN line when the {@link
 * StallCheck} finds the sync stalled.
 */
final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    /** A quiet tail, or a stall that goes on, gets one line every half minute. */
    private static final Duration QUIET_REPORT_EVERY = Duration.ofSeconds(30);

    private final JobClient job;
    private final LivenessGauges liveness;
    private final StallCheck stalls;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "progress-reporter");
                        t.setDaemon(true);
                        return t;
                    });

    private long lastKeys = -1;
    private long lastNanos = startNanos;
    private long lastWarnNanos;
    private boolean stalled;
    private Map<String, Object> lastAccumulators = Map.of();
    private final long totalEstimate;

    /** {@code totalEstimate}: keys in the database when the job started; 0 when unknown. */
    ProgressReporter(
            JobClient job,
            Duration every,
            long totalEstimate,
            LivenessGauges liveness,
            StallCheck stalls) {
        this.job = job;
        this.totalEstimate = totalEstimate;
        this.liveness = liveness;
        this.stalls = stalls;
        timer.scheduleAtFixedRate(
                this::reportSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A task that throws is never run again by the timer: one bad look must not end them all. */
    private void reportSafely() {
        try {
            report();
        } catch (RuntimeException e) {
            LOG.debug("A progress report failed; the next one follows", e);
        }
    }

    private void report() {
        long now = System.nanoTime();
        LivenessGauges.Readings readings = liveness.read();
        List<String> reasons = stalls.check(readings, now);
        boolean changed = reasons.isEmpty() == stalled;
        warn(reasons, now);
        Map<String, Object> accumulators;
        try {
            accumulators = job.getAccumulators().get(5, TimeUnit.SECONDS);
            lastAccumulators = accumulators;
        } catch (Exception e) {
            if (reasons.isEmpty()) {
                return; // the job is finishing or not yet running; the next tick or summary tells
            }
            accumulators = lastAccumulators; // restarting, perhaps: the stall is the news
        }
        long keys = asLong(accumulators.get(RecordMappingFunction.KEYS_READ));
        if (keys == lastKeys && !changed && now - lastNanos < QUIET_REPORT_EVERY.toNanos()) {
            return; // a quiet tail: one line every half minute says it is alive
        }
        double rate = (keys - Math.max(0, lastKeys)) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastKeys = keys;
        lastNanos = now;
        Map<String, Long> documents = documents(accumulators);
        double elapsed = (now - startNanos) / 1e9;
        LOG.info(
                "Progress after {} s: {} keys read{} ({} keys/s), documents {}, dead letters {}{}",
                String.format(Locale.ROOT, "%.0f", elapsed),
                keys,
                share(keys, totalEstimate, rate, keys / Math.max(1e-9, elapsed)),
                String.format(Locale.ROOT, "%.0f", rate),
                documents,
                asLong(accumulators.get(RecordMappingFunction.DEAD_LETTER_COUNT)),
                status(readings.oldestPendingChangeSeconds, reasons));
    }

    /** A WARN line when a stall begins and every half minute while it lasts; INFO at its end. */
    private void warn(List<String> reasons, long now) {
        if (reasons.isEmpty()) {
            if (stalled) {
                LOG.info("The sync is no longer stalled: checkpoints complete, tails subscribed.");
            }
            stalled = false;
            return;
        }
        if (!stalled || now - lastWarnNanos >= QUIET_REPORT_EVERY.toNanos()) {
            LOG.warn(
                    "The sync is stalled: {}. Changes may not reach Elasticsearch until it"
                            + " recovers; a checkpoint that cannot complete fails after"
                            + " checkpoint.timeout, and Flink restarts the job from its last"
                            + " checkpoint once more than checkpoint.tolerable-failures fail in a"
                            + " row.",
                    String.join("; ", reasons));
            lastWarnNanos = now;
        }
        stalled = true;
    }

    /**
     * " of ~TOTAL (P%, ETA S s)" while the snapshot runs; no ETA while no key is read ({@code rate}
     * is 0, or none was read yet): a time computed from no progress would say nothing.
     */
    static String share(long keys, long totalEstimate, double rate, double overallRate) {
        if (totalEstimate <= 0 || keys >= totalEstimate) {
            return "";
        }
        String eta =
                rate > 0 && overallRate > 0
                        ? String.format(
                                Locale.ROOT, ", ETA %.0f s", (totalEstimate - keys) / overallRate)
                        : "";
        return String.format(
                Locale.ROOT,
                " of ~%d (%.0f%%%s)",
                totalEstimate,
                100.0 * keys / totalEstimate,
                eta);
    }

    /** The end of the line: the tail's lag when a change waits, and {@code stalled} with why. */
    static String status(double oldestPendingChangeSeconds, List<String> stallReasons) {
        StringBuilder sb = new StringBuilder();
        if (oldestPendingChangeSeconds > 0) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            ", oldest pending change %.1f s",
                            oldestPendingChangeSeconds));
        }
        if (!stallReasons.isEmpty()) {
            sb.append(", stalled (").append(String.join("; ", stallReasons)).append(')');
        }
        return sb.toString();
    }

    /** Documents written per index, from the job's accumulators. */
    static Map<String, Long> documents(Map<String, Object> accumulators) {
        Map<String, Long> documents = new TreeMap<>();
        accumulators.forEach(
                (name, value) -> {
                    if (name.startsWith(RecordMappingFunction.DOCUMENTS_PREFIX)) {
                        documents.put(
                                name.substring(RecordMappingFunction.DOCUMENTS_PREFIX.length()),
                                asLong(value));
                    }
                });
        return documents;
    }

    static long asLong(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
