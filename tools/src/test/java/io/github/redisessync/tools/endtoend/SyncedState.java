package io.github.redisessync.tools.endtoend;

import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.client.RollupSource;
import io.github.redisessync.tools.report.RollupTable;
import io.github.redisessync.tools.verify.SyncVerifier;
import io.github.redisessync.tools.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for what a user checks after a sync: {@code verify} finds the documents equal to Redis, and
 * the report's comparison finds every rollup equal to the live aggregation. Both together: right
 * after a restore the rollups agree with the documents in Elasticsearch, though neither has caught
 * up with Redis yet.
 */
public final class SyncedState {
    private static final Duration POLL = Duration.ofMillis(200);

    private SyncedState() {}

    /** Polls until the documents equal Redis. */
    public static void awaitDocuments(String what, SyncJobSetup settings, Duration timeout)
            throws IOException {
        awaitDocumentsAndRollups(what, settings, null, List.of(), null, timeout);
    }

    /**
     * Polls until the documents equal Redis and no row of the comparison of {@code specs} (over the
     * documents of {@code sourceIndex}) differs; the first rollup must have documents. Fails with
     * the differences last seen.
     */
    public static void awaitDocumentsAndRollups(
            String what,
            SyncJobSetup settings,
            RollupSource rollups,
            List<RollupSpec> specs,
            String sourceIndex,
            Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StringWriter text = new StringWriter();
            boolean equal = true;
            try (PrintWriter out = new PrintWriter(text)) {
                for (VerifyReport report : new SyncVerifier(settings, 500, 5, false).run()) {
                    if (!report.isEqual()) {
                        equal = false;
                        report.print(out, false);
                    }
                }
                for (RollupSpec spec : specs) {
                    equal &=
                            RollupTable.print(
                                            out,
                                            spec,
                                            rollups.written(spec),
                                            rollups.aggregated(spec, sourceIndex),
                                            0)
                                    == 0;
                }
                equal &= specs.isEmpty() || !rollups.written(specs.get(0)).isEmpty();
            }
            if (equal) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": still differing after " + timeout + "\n" + text);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }
}
