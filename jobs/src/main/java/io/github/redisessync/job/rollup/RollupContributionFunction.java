package io.github.redisessync.job.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.job.mapping.SyncAction;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
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
 *
 * <p>After a restore, state and Elasticsearch disagree: the rollup documents hold what the job
 * wrote after its checkpoint, the state what it knew at the checkpoint, and the source rescans
 * Redis rather than replaying the changes in between. Three things bring them together again: a
 * record last changed before the restore has its contribution retracted and added again when it is
 * next read, even if unchanged, so its aggregates are written anew; a catch-up marker retracts the
 * records the rescan did not read ({@link RollupContributionOperator}); and the catch-up sweep asks
 * for every rollup document in Elasticsearch to be refreshed ({@link SyncAction#refresh}), which
 * deletes those that no state backs.
 */
public class RollupContributionFunction
        extends KeyedProcessFunction<String, SyncAction, RollupDelta>
        implements CheckpointedFunction {
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
    private transient boolean restored;
    private transient ListState<Long> watermarks;
    private transient long watermark;
    // After a restore: the first version seen; a record last changed before it is refreshed.
    private transient long refreshBelow;

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

    /** The state of each record's contributions, by rollup name. */
    static MapStateDescriptor<String, RollupContribution> contributionsDescriptor() {
        return new MapStateDescriptor<>(
                "rollup-contributions", Types.STRING, TypeInformation.of(RollupContribution.class));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        restored = context.isRestored();
        watermarks =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "rollup-contribution-watermark", Types.LONG));
        watermark = Long.MIN_VALUE;
        for (Long mark : watermarks.get()) {
            watermark = Math.max(watermark, mark);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarks.update(List.of(watermark));
    }

    /**
     * The watermark that closes windows: the operator's, but never below the greatest of the run
     * before a restore. Watermarks are not checkpointed, so a restored job starts from none, and
     * the rescan's first reads would find closed windows open, their contributions forgotten, and
     * write documents of one record over the final ones.
     */
    long watermark(long current) {
        watermark = Math.max(watermark, current);
        return watermark;
    }

    @Override
    public void open(Configuration parameters) {
        refreshBelow = Long.MIN_VALUE;
        contributions = getRuntimeContext().getMapState(contributionsDescriptor());
        ValueStateDescriptor<Long> versionDescriptor =
                new ValueStateDescriptor<>("rollup-last-version", Types.LONG);
        // Only so that deleted keys do not stay forever; a live record's contributions have no TTL.
        versionDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(tombstoneRetention).build());
        lastVersion = getRuntimeContext().getState(versionDescriptor);
        lateDropped = getRuntimeContext().getMetricGroup().counter("rollupLateDropped");
        staleSkipped = getRuntimeContext().getMetricGroup().counter("rollupStaleSkipped");
    }

    @Override
    public void processElement(SyncAction element, Context ctx, Collector<RollupDelta> out)
            throws Exception {
        if (restored && refreshBelow == Long.MIN_VALUE) {
            refreshBelow = element.getVersion();
        }
        if (element.getKind() == SyncAction.Kind.REFRESH) {
            refresh(element, out);
            return;
        }
        if (!element.isWrite()) {
            return; // a catch-up marker, which the operator handles before this function
        }
        DocumentAction action = element.getDocument();
        Long last = lastVersion.value();
        boolean beforeRestore = last == null ? refreshBelow > Long.MIN_VALUE : last < refreshBelow;
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
                if (old != null && beforeRestore) {
                    // What the job wrote for it after the checkpoint is unknown: write it again.
                    out.collect(new RollupDelta(spec.name(), 0, action.getVersion(), old));
                }
                continue; // the change touched none of this rollup's fields
            }
            long watermark = watermark(ctx.timerService().currentWatermark());
            Consumer<RollupDelta> late = delta -> ctx.output(LATE_CHANGES, delta);
            if (old != null) {
                emit(
                        spec,
                        new RollupDelta(spec.name(), -1, action.getVersion(), old),
                        watermark,
                        out,
                        late);
            }
            if (now != null
                    && !emit(
                            spec,
                            new RollupDelta(spec.name(), 1, action.getVersion(), now),
                            watermark,
                            out,
                            late)) {
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
            RollupSpec spec,
            RollupDelta delta,
            long watermark,
            Collector<RollupDelta> out,
            Consumer<RollupDelta> late) {
        if (RollupSpecs.isClosed(spec, delta.contribution.windowStart, watermark)) {
            lateDropped.inc();
            late.accept(delta);
            return false;
        }
        out.collect(delta);
        return true;
    }

    /**
     * For the current record: when it is in one of {@code indexes} and was not read since {@code
     * rescanStart}, its key is gone, so its contributions are retracted and forgotten and its
     * version becomes {@code rescanStart}. True when something was retracted.
     */
    boolean retractIfVanished(
            String documentKey,
            long rescanStart,
            Set<String> indexes,
            long watermark,
            Collector<RollupDelta> out,
            Consumer<RollupDelta> late)
            throws Exception {
        int slash = documentKey.indexOf('/');
        if (slash < 0 || !indexes.contains(documentKey.substring(0, slash))) {
            return false;
        }
        Long last = lastVersion.value();
        if (last != null && last >= rescanStart) {
            return false;
        }
        boolean retracted = false;
        Iterator<Map.Entry<String, RollupContribution>> it = contributions.iterator();
        while (it.hasNext()) {
            Map.Entry<String, RollupContribution> entry = it.next();
            RollupSpec spec = specs.get(entry.getKey());
            if (spec != null) {
                emit(
                        spec,
                        new RollupDelta(spec.name(), -1, rescanStart, entry.getValue()),
                        watermark,
                        out,
                        late);
                retracted = true;
            }
            it.remove();
        }
        lastVersion.update(rescanStart);
        return retracted;
    }

    /**
     * Passes a refresh of rollup document {@code <rollup>|<window>|...} to its aggregate, which
     * writes it from its state or deletes it; ignores documents of rollups not in this job.
     */
    private void refresh(SyncAction action, Collector<RollupDelta> out) {
        String id = action.getId();
        int first = id.indexOf('|');
        int second = first < 0 ? -1 : id.indexOf('|', first + 1);
        RollupSpec spec = first < 0 ? null : specs.get(id.substring(0, first));
        if (spec == null || second < 0 || !spec.targetIndex().equals(action.getIndex())) {
            return;
        }
        String window = id.substring(first + 1, second);
        long windowStart;
        try {
            windowStart = spec.isWindowed() ? Long.parseLong(window) : 0;
        } catch (NumberFormatException e) {
            return; // not an id this rollup writes
        }
        RollupContribution target = new RollupContribution(id, windowStart, null, null);
        out.collect(new RollupDelta(spec.name(), 0, action.getVersion(), target));
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
