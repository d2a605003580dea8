package io.github.redisessync.job.rollup;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one record adds to one rollup: its window, its group and its metric field values.
 *
 * <p>A Flink POJO (public fields, no-arg constructor), so that keyed state and the exchange between
 * the two rollup operators use Flink's serializers rather than Kryo. Values are normalised ({@link
 * BigDecimal#stripTrailingZeros()}) so that {@code 3.50} and {@code 3.5} are the same value in the
 * min/max multisets and in {@link #equals}.
 */
public class RollupContribution {
    /** The id of the rollup document this contribution belongs to; the aggregate's key. */
    public String aggregateId;

    /** Window start in epoch milliseconds; 0 for a running total. */
    public long windowStart;

    /** The group-by values, in the order of {@link RollupSpec#groupBy()}. */
    public String[] groupValues;

    /** The values of {@link RollupSpec#metricFields()}; null where the record has none. */
    public BigDecimal[] values;

    public RollupContribution() {}

    RollupContribution(
            String aggregateId, long windowStart, String[] groupValues, BigDecimal[] values) {
        this.aggregateId = aggregateId;
        this.windowStart = windowStart;
        this.groupValues = groupValues;
        this.values = values;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RollupContribution)) {
            return false;
        }
        RollupContribution that = (RollupContribution) o;
        return windowStart == that.windowStart
                && Objects.equals(aggregateId, that.aggregateId)
                && Arrays.equals(groupValues, that.groupValues)
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregateId, windowStart);
    }

    @Override
    public String toString() {
        return aggregateId + " " + Arrays.toString(values);
    }
}
