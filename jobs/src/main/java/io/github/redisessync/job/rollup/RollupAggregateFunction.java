package io.github.redisessync.job.rollup;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second rollup operator, keyed by rollup document id (rollup, window, group): applies the
 * deltas to the aggregate and writes the whole rollup document after each change, or deletes it
 * when the group has emptied.
 *
 * <p>Min and max are exact under retraction: each metric field that needs them keeps a multiset of
 * its values ({@code (field, value) -> multiplicity} in a map state) beside the cached extremes.
 * Only when the last copy of the current extreme leaves is the multiset scanned for the new one. A
 * map state rather than a sorted collection in a value state, because on RocksDB each entry is its
 * own key: an add or a retract touches one entry instead of rewriting the whole collection. Flink
 * map state is not ordered, hence the cache and the rare scan.
 *
 * <p>Versions: each write of a document gets {@code max(previous version + 1, version of the
 * change)}. It grows strictly per id, as a version gate or external versioning needs, even when
 * deltas from different records arrive out of version order; and it stays in the Redis time domain,
 * so that writes after a restore (fresh reads, newer versions) win over any written before the
 * failure. An emptied group keeps its version as a tombstone until its window closes.
 *
 * <p>A refresh ({@code sign = 0}: after a restore, for each aggregate of a record read again, and
 * after a catch-up, for each rollup document in Elasticsearch) writes the document again from the
 * state, once after a restore, or deletes it when no state backs it: a restored job may find
 * documents it wrote after its checkpoint, and those differ from its state. Except in a closed
 * window, whose document is final and whose state is gone: closed by the watermark, or by the
 * greatest watermark of the run before a restore (watermarks are not checkpointed, so a restored
 * watermark starts low).
 */
public class RollupAggregateFunction
        extends KeyedProcessFunction<String, RollupDelta, DocumentAction>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RollupAggregateFunction.class);

    private final RollupSpecs specs;

    private transient ValueState<RollupAggregate> aggregate;
    private transient MapState<Tuple2<Integer, BigDecimal>, Long> values;
    private transient ListState<Long> watermarks;
    private transient long watermarkBeforeRestore;
    private transient long watermark;
    private transient boolean restored;
    // After a restore, the first version seen: a document of a greater one was written since.
    private transient long writtenSince;

    public RollupAggregateFunction(List<RollupSpec> specs) {
        this.specs = new RollupSpecs(specs);
    }

    @Override
    public void open(Configuration parameters) {
        aggregate =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "rollup-aggregate",
                                        TypeInformation.of(RollupAggregate.class)));
        values =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "rollup-values",
                                        Types.TUPLE(Types.INT, Types.BIG_DEC),
                                        Types.LONG));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watermarks =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("rollup-watermark", Types.LONG));
        watermarkBeforeRestore = Long.MIN_VALUE;
        for (Long mark : watermarks.get()) {
            watermarkBeforeRestore = Math.max(watermarkBeforeRestore, mark);
        }
        watermark = watermarkBeforeRestore;
        restored = context.isRestored();
        writtenSince = Long.MIN_VALUE;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarks.update(List.of(watermark));
    }

    @Override
    public void processElement(RollupDelta delta, Context ctx, Collector<DocumentAction> out)
            throws Exception {
        watermark = Math.max(watermark, ctx.timerService().currentWatermark());
        if (restored && writtenSince == Long.MIN_VALUE) {
            writtenSince = delta.version;
        }
        RollupSpec spec = specs.get(delta.rollup);
        if (spec == null) {
            return; // a rollup removed from the configuration, still in flight after a restore
        }
        if (delta.sign == 0) {
            refresh(spec, delta, ctx, out);
            return;
        }
        int fields = spec.metricFields().size();
        RollupContribution contribution = delta.contribution;
        RollupAggregate current = aggregate.value();
        if (current == null || current.groupValues == null) {
            // New, or a tombstone a refresh left: keep its version.
            long version = current == null ? 0 : current.version;
            current = RollupAggregate.empty(contribution, fields);
            current.version = version;
        }
        current.count += delta.sign;
        for (int i = 0; i < fields; i++) {
            BigDecimal value = contribution.values[i];
            if (value == null) {
                continue;
            }
            current.sums[i] =
                    delta.sign > 0 ? current.sums[i].add(value) : current.sums[i].subtract(value);
            current.valueCounts[i] += delta.sign;
            if (spec.needsExtremes(i)) {
                updateExtremes(current, i, value, delta.sign);
            }
        }
        current.version = Math.max(current.version + 1, delta.version);
        if (spec.isWindowed()) {
            ctx.timerService()
                    .registerEventTimeTimer(RollupSpecs.cleanupTime(spec, current.windowStart));
        }
        if (current.count <= 0) {
            if (current.count < 0) {
                // Only if deltas of one key were reordered (batch mode sorts by key alone): the
                // arithmetic is order-independent, so the retracted values settle when the adds
                // come.
                LOG.debug("Rollup {} went below zero documents", ctx.getCurrentKey());
            } else {
                current.reset(fields);
                values.clear();
            }
        }
        write(spec, current, ctx, out);
    }

    /** Writes the document of {@code current} (deletes it when empty) and keeps the state. */
    private void write(
            RollupSpec spec, RollupAggregate current, Context ctx, Collector<DocumentAction> out)
            throws Exception {
        String id = ctx.getCurrentKey();
        out.collect(
                current.count > 0
                        ? DocumentAction.index(
                                spec.targetIndex(),
                                id,
                                current.version,
                                spec.name(),
                                RollupDocuments.write(spec, current))
                        : DocumentAction.delete(
                                spec.targetIndex(), id, current.version, spec.name()));
        aggregate.update(current);
    }

    private void refresh(
            RollupSpec spec, RollupDelta delta, Context ctx, Collector<DocumentAction> out)
            throws Exception {
        RollupAggregate current = aggregate.value();
        if (current != null && current.count > 0) {
            if (current.version >= writtenSince) {
                return; // written since the restore (or never restored): the document is right
            }
            current.version = Math.max(current.version + 1, delta.version);
            write(spec, current, ctx, out);
            return;
        }
        long windowStart = delta.contribution.windowStart;
        if (RollupSpecs.isClosed(spec, windowStart, watermark)) {
            return; // a final document of a closed window
        }
        if (current == null) {
            // A tombstone without a group, so that later writes still get greater versions.
            current = new RollupAggregate();
            current.windowStart = windowStart;
        }
        current.version = Math.max(current.version + 1, delta.version);
        write(spec, current, ctx, out); // a delete: no state backs the document
        if (spec.isWindowed()) {
            ctx.timerService().registerEventTimeTimer(RollupSpecs.cleanupTime(spec, windowStart));
        }
    }

    private void updateExtremes(RollupAggregate current, int field, BigDecimal value, int sign)
            throws Exception {
        Tuple2<Integer, BigDecimal> key = Tuple2.of(field, value);
        Long before = values.get(key);
        long multiplicity = (before == null ? 0 : before) + sign;
        if (multiplicity == 0) {
            values.remove(key);
        } else {
            values.put(key, multiplicity);
        }
        if (multiplicity > 0) {
            current.mins[field] = least(current.mins[field], value);
            current.maxes[field] = greatest(current.maxes[field], value);
        } else if (value.equals(current.mins[field]) || value.equals(current.maxes[field])) {
            BigDecimal min = null;
            BigDecimal max = null;
            for (Map.Entry<Tuple2<Integer, BigDecimal>, Long> entry : values.entries()) {
                if (entry.getKey().f0 == field && entry.getValue() > 0) {
                    min = least(min, entry.getKey().f1);
                    max = greatest(max, entry.getKey().f1);
                }
            }
            current.mins[field] = min;
            current.maxes[field] = max;
        }
    }

    private static BigDecimal least(BigDecimal a, BigDecimal b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    private static BigDecimal greatest(BigDecimal a, BigDecimal b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    /** The window closed: no delta for it can come any more, the document stays as written. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DocumentAction> out) {
        watermark = Math.max(watermark, ctx.timerService().currentWatermark());
        aggregate.clear();
        values.clear();
    }
}
