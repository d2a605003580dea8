package io.github.redisessync.job.rollup;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The running aggregate of one (rollup, window, group), kept in keyed state; the min/max multisets
 * live beside it in a map state.
 *
 * <p>Sums are exact decimals, so adding and retracting the same values in any order gives the same
 * bits: a replay or a restore reproduces the same document. With {@code count == 0} the aggregate
 * is a tombstone that keeps only {@link #version}, so that a group which empties and fills again
 * still gets growing versions.
 */
public class RollupAggregate {
    public long windowStart;
    public String[] groupValues;

    /** Documents in the group. */
    public long count;

    /** Per metric field: the exact sum of its values. */
    public BigDecimal[] sums;

    /** Per metric field: how many documents of the group have a value. */
    public long[] valueCounts;

    /** Per metric field that needs it: the least and greatest value, null when there is none. */
    public BigDecimal[] mins;

    public BigDecimal[] maxes;

    /** The version of the last document written for this aggregate. */
    public long version;

    public RollupAggregate() {}

    static RollupAggregate empty(RollupContribution first, int fields) {
        RollupAggregate aggregate = new RollupAggregate();
        aggregate.windowStart = first.windowStart;
        aggregate.groupValues = first.groupValues;
        aggregate.reset(fields);
        return aggregate;
    }

    /** Forgets every value but the version. */
    void reset(int fields) {
        count = 0;
        sums = new BigDecimal[fields];
        Arrays.fill(sums, BigDecimal.ZERO);
        valueCounts = new long[fields];
        mins = new BigDecimal[fields];
        maxes = new BigDecimal[fields];
    }
}
