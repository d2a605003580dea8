package io.github.redisessync.tools.report;

import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.client.RollupRow;
import io.github.redisessync.tools.client.RollupSource;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollup's documents against the same aggregation run live over its source documents, row by row
 * as {@code report --compare} matches them (window and groups; counts exact, metrics within {@link
 * RollupTable}'s tolerance), without printing: for callers that wait for them to agree.
 */
public final class RollupComparison {

    /** The rows of a rollup (both sides together) and how many of them differ. */
    public record Outcome(RollupSpec rollup, int rows, int differing) {
        public boolean equal() {
            return differing == 0;
        }
    }

    private RollupComparison() {}

    /** Reads both sides of {@code rollup} from Elasticsearch (refreshed first) and compares. */
    public static Outcome compare(RollupSource source, RollupSpec rollup, String sourceIndex)
            throws IOException {
        return compare(rollup, source.written(rollup), source.aggregated(rollup, sourceIndex));
    }

    static Outcome compare(RollupSpec rollup, List<RollupRow> written, List<RollupRow> aggregated) {
        Map<List<Object>, RollupRow[]> rows = new HashMap<>();
        for (RollupRow row : written) {
            rows.computeIfAbsent(row.key(), k -> new RollupRow[2])[0] = row;
        }
        for (RollupRow row : aggregated) {
            rows.computeIfAbsent(row.key(), k -> new RollupRow[2])[1] = row;
        }
        int differing = 0;
        for (RollupRow[] pair : rows.values()) {
            if (!RollupTable.equal(pair[0], pair[1])) {
                differing++;
            }
        }
        return new Outcome(rollup, rows.size(), differing);
    }
}
