package io.github.redisessync.tools.local;

import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.report.RollupComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After {@code local --until-synced}'s job has finished, waits until every rollup's documents equal
 * the live aggregation over the synced documents: what {@code report --compare} checks, and so what
 * a user running it next sees.
 *
 * <p>The finished job has already flushed its sink on end of input and completed its final
 * checkpoint (Flink waits for one after the tasks finish), so the rollup documents are normally all
 * written; this checks the outcome rather than trusting that chain, and waits out what a bounded
 * time can settle (an index refresh, a slow node) before it reports the rows that differ.
 */
final class RollupSyncWait {
    private static final Logger LOG = LoggerFactory.getLogger(RollupSyncWait.class);

    /** One comparison of a rollup, reading Elasticsearch. */
    @FunctionalInterface
    interface Comparer {
        RollupComparison.Outcome compare(RollupSpec rollup) throws IOException;
    }

    private final List<RollupSpec> rollups;
    private final Comparer comparer;
    private final Duration timeout;
    private final Duration pause;

    RollupSyncWait(List<RollupSpec> rollups, Comparer comparer, Duration timeout, Duration pause) {
        this.rollups = List.copyOf(rollups);
        this.comparer = comparer;
        this.timeout = timeout;
        this.pause = pause;
    }

    /**
     * Compares until all are equal or {@code timeout} has passed; prints what it waited for, or
     * which rollups still differ. True when all are equal.
     */
    boolean await(PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<RollupComparison.Outcome> outcomes = List.of();
        IOException failure = null;
        int passes = 0;
        while (true) {
            try {
                passes++;
                outcomes = compareAll();
                failure = null;
                if (outcomes.stream().allMatch(RollupComparison.Outcome::equal)) {
                    out.printf(
                            "rollups: %s rows (%s) equal the live aggregation, checked in %s%s%n",
                            outcomes.stream()
                                    .map(o -> String.valueOf(o.rows()))
                                    .collect(Collectors.joining(" + ")),
                            outcomes.stream()
                                    .map(o -> o.rollup().name())
                                    .collect(Collectors.joining(" + ")),
                            seconds(System.nanoTime() - start),
                            passes == 1 ? "" : " (" + passes + " comparisons)");
                    return true;
                }
            } catch (IOException e) {
                failure = e;
                LOG.debug("Comparing the rollups failed; trying again: {}", e.toString());
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                break;
            }
            Thread.sleep(pause.toMillis());
        }
        if (failure != null) {
            out.printf(
                    "ERROR: the rollups could not be compared with the live aggregation within"
                            + " %s: %s%n",
                    seconds(timeout.toNanos()), failure.getMessage());
            return false;
        }
        for (RollupComparison.Outcome o : outcomes) {
            if (!o.equal()) {
                out.printf(
                        "ERROR: after %s, %d of %d rows of rollup %s (%s) still differ from the"
                                + " live aggregation; 'report --compare' shows them.%n",
                        seconds(timeout.toNanos()),
                        o.differing(),
                        o.rows(),
                        o.rollup().name(),
                        o.rollup().targetIndex());
            }
        }
        return false;
    }

    private List<RollupComparison.Outcome> compareAll() throws IOException {
        List<RollupComparison.Outcome> outcomes = new ArrayList<>();
        for (RollupSpec rollup : rollups) {
            outcomes.add(comparer.compare(rollup));
        }
        return outcomes;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
