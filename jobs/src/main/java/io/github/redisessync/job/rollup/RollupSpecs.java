package io.github.redisessync.job.rollup;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rollups of one job, by name; names are unique because they start every document id. */
final class RollupSpecs implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<RollupSpec> all;
    private final Map<String, RollupSpec> byName = new LinkedHashMap<>();

    RollupSpecs(List<RollupSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("The rollup operators need at least one rollup.");
        }
        for (RollupSpec spec : specs) {
            if (byName.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException(
                        "Rollup name '" + spec.name() + "' is used twice; names must be unique.");
            }
        }
        this.all = List.copyOf(specs);
    }

    List<RollupSpec> all() {
        return all;
    }

    /** The rollup named {@code name}, or null when a restored state names one no longer there. */
    RollupSpec get(String name) {
        return byName.get(name);
    }

    /** The last instant of the window at {@code windowStart} plus the allowed lateness. */
    static long cleanupTime(RollupSpec spec, long windowStart) {
        long maxTimestamp = windowStart + spec.windowMillis() - 1;
        long cleanup = maxTimestamp + spec.allowedLatenessMillis();
        return cleanup >= maxTimestamp ? cleanup : Long.MAX_VALUE;
    }

    /**
     * Flink's rule for windows ({@code WindowOperator#isWindowLate}): a window is closed once the
     * watermark has reached its last instant plus the allowed lateness. Running totals never close.
     */
    static boolean isClosed(RollupSpec spec, long windowStart, long watermark) {
        return spec.isWindowed() && cleanupTime(spec, windowStart) <= watermark;
    }
}
