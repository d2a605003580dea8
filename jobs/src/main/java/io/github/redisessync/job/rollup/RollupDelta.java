package io.github.redisessync.job.rollup;

/**
 * A change to one rollup aggregate: add a record's contribution ({@code sign = 1}) or retract it
 * ({@code sign = -1}), caused by the change of the given Redis version; or, with {@code sign = 0},
 * a request to write the aggregate's document again from its state (the contribution then names
 * only the aggregate and its window).
 *
 * <p>A Flink POJO, exchanged between the operator keyed by document and the one keyed by aggregate.
 */
public class RollupDelta {
    /** The rollup's name. */
    public String rollup;

    /** +1 adds the contribution, -1 retracts it, 0 refreshes the document. */
    public int sign;

    /** The version (Redis read time, µs) of the change that caused this delta. */
    public long version;

    public RollupContribution contribution;

    public RollupDelta() {}

    RollupDelta(String rollup, int sign, long version, RollupContribution contribution) {
        this.rollup = rollup;
        this.sign = sign;
        this.version = version;
        this.contribution = contribution;
    }

    /** The key of the aggregate operator: the rollup document's id. */
    public String aggregateId() {
        return contribution.aggregateId;
    }

    @Override
    public String toString() {
        return (sign > 0 ? "+" : sign < 0 ? "-" : "refresh ") + contribution + " v" + version;
    }
}
