package io.github.redisessync.job.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The first rollup operator, keyed by document: remembers what each record currently contributes to
 * each rollup and turns every change into deltas, a retraction of the old contribution and an
 * addition of the new one, so that an update that moves a record to another group or window, or a
 * delete, is reflected exactly.
 *
 * <p>State per document: the contribution per rollup (window, group, metric values) and the version
 * of the last change applied. A change whose version is not newer is a stale read (a scan read
 * overtaken by a newer one) and is skipped. The version outlives a delete, as a tombstone, for
 * {@code tombstoneRetention}, which must be longer than any reordering of reads of one key.
 *
 * <p>Lateness follows Flink's window rule against the watermark: a delta for a window whose end
 * plus the allowed lateness the watermark has passed is dropped, counted and sent to {@link
 * #LATE_CHANGES}. The watermark rather than the greatest time seen, because the snapshot reads keys
 * in hash order, not in time order: a source holds its watermark back until the snapshot is done,
 * whereas the greatest time seen would make most of a snapshot late. A closed window is frozen:
 * when it closes (an event-time timer) the contributions to it are forgotten, so a later update or
 * delete of such a record only adds its new contribution, if any, and leaves the old one counted.
 */
public class RollupContributionFunction
        extends KeyedProcessFunction<String, DocumentAction, RollupDelta> {
    private static final long serialVersionUID = 1L;

    /** Deltas dropped because their window was closed. */
    public static final OutputTag<RollupDelta> LATE_CHANGES =
            new OutputTag<>("rollup-late-changes", TypeInformation.of(RollupDelta.class));

    private final RollupSpecs specs;
    private final Duration tombstoneRetention;

    private transient MapState<String, RollupContribution> contributions;
    private transient ValueState<Long> lastVersion;
    private transient Counter lateDropped;
    private transient Counter staleSkipped;

    /** The operator for {@code specs}; deletes are remembered for {@code tombstoneRetention}. */
    public RollupContributionFunction(List<RollupSpec> specs, Duration tombstoneRetention) {
        this.specs = new RollupSpecs(specs);
        if (tombstoneRetention.isNegative() || tombstoneRetention.isZero()) {
            throw new IllegalArgumentException(
                    "The rollup tombstone retention must be positive, was "
                            + tombstoneRetention
                            + ".");
        }
        this.tombstoneRetention = tombstoneRetention;
    }

    @Override
    public void open(Configuration parameters) {
        contributions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "rollup-contributions",
                                        Types.STRING,
                                        TypeInformation.of(RollupContribution.class)));
        ValueStateDescriptor<Long> versionDescriptor =
                new ValueStateDescriptor<>("rollup-last-version", Types.LONG);
        // Only so that deleted keys do not stay forever; a live record's contributions have no TTL.
        versionDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(tombstoneRetention).build());
        lastVersion = getRuntimeContext().getState(versionDescriptor);
        lateDropped = getRuntimeContext().getMetricGroup().counter("rollupLateDropped");
        staleSkipped = getRuntimeContext().getMetricGroup().counter("rollupStaleSkipped");
    }

    @Override
    public void processElement(DocumentAction action, Context ctx, Collector<RollupDelta> out)
            throws Exception {
        Long last = lastVersion.value();
        if (last != null && action.getVersion() <= last) {
            staleSkipped.inc();
            return;
        }
        lastVersion.update(action.getVersion());
        JsonNode document = null;
        boolean parsed = false;
        for (RollupSpec spec : specs.all()) {
            if (!spec.reads(action)) {
                continue;
            }
            if (!parsed && action.getOp() == DocumentAction.Op.INDEX) {
                document = RollupContributions.parse(action);
                parsed = true;
            }
            RollupContribution old = contributions.get(spec.name());
            RollupContribution now =
                    document == null
                            ? null
                            : RollupContributions.of(spec, document, action.getVersion());
            if (Objects.equals(old, now)) {
                continue; // the change touched none of this rollup's fields
            }
            if (old != null) {
                emit(spec, new RollupDelta(spec.name(), -1, action.getVersion(), old), ctx, out);
            }
            if (now != null
                    && !emit(
                            spec,
                            new RollupDelta(spec.name(), 1, action.getVersion(), now),
                            ctx,
                            out)) {
                now = null;
            }
            if (now == null) {
                contributions.remove(spec.name());
            } else {
                contributions.put(spec.name(), now);
                if (spec.isWindowed()) {
                    ctx.timerService()
                            .registerEventTimeTimer(RollupSpecs.cleanupTime(spec, now.windowStart));
                }
            }
        }
    }

    /** Sends {@code delta} on, or drops it when its window is closed; false when dropped. */
    private boolean emit(
            RollupSpec spec, RollupDelta delta, Context ctx, Collector<RollupDelta> out) {
        if (RollupSpecs.isClosed(
                spec, delta.contribution.windowStart, ctx.timerService().currentWatermark())) {
            lateDropped.inc();
            ctx.output(LATE_CHANGES, delta);
            return false;
        }
        out.collect(delta);
        return true;
    }

    /** A window closed: its contributions are frozen, so this record's state for it can go. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RollupDelta> out)
            throws Exception {
        Iterator<Map.Entry<String, RollupContribution>> it = contributions.iterator();
        while (it.hasNext()) {
            Map.Entry<String, RollupContribution> entry = it.next();
            RollupSpec spec = specs.get(entry.getKey());
            if (spec == null
                    || RollupSpecs.isClosed(spec, entry.getValue().windowStart, timestamp)) {
                it.remove();
            }
        }
    }
}
