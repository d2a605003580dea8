package io.github.redisessync.job.rollup;

import io.github.redisessync.job.mapping.SyncAction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RollupContributionFunction} and, on a catch-up marker, the one thing a keyed function
 * cannot do: visit every document of this subtask and retract the contributions of those that the
 * rescan did not read again (their keys are gone).
 *
 * <p>Why it is needed: a restored job rolls this state back to its checkpoint, but a delete it
 * processed after that checkpoint is not replayed (the source rescans Redis rather than replaying
 * changes), and the catch-up sweep finds no document to delete (Elasticsearch lost it already). The
 * same holds for keys deleted during any gap in the tail.
 *
 * <p>The marker reaches every subtask because {@link RollupMarkerFanOut} sends one copy per key
 * group, in the same stream as the rescan's documents and after them, so this subtask has applied
 * every read of the rescan when its first copy arrives; the other copies are ignored.
 */
final class RollupContributionOperator
        extends KeyedProcessOperator<String, SyncAction, RollupDelta> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RollupContributionOperator.class);
    private static final int MARKERS_REMEMBERED = 16;

    private final RollupContributionFunction function;

    private transient TimestampedCollector<RollupDelta> sweepOutput;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Deque<Long> markersSwept;

    RollupContributionOperator(RollupContributionFunction function) {
        super(function);
        this.function = function;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sweepOutput = new TimestampedCollector<>(output);
        sweepOutput.eraseTimestamp();
        // The timer service the function's context uses, for its watermark.
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        markersSwept = new ArrayDeque<>();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        function.watermark(mark.getTimestamp()); // checkpointed by the function
    }

    @Override
    public void processElement(StreamRecord<SyncAction> element) throws Exception {
        SyncAction action = element.getValue();
        if (!action.isCatchUpMarker()) {
            super.processElement(element);
            return;
        }
        RollupMarkerFanOut.checkMaxParallelism(
                action, getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks());
        if (markersSwept.contains(action.getVersion())) {
            return;
        }
        markersSwept.addLast(action.getVersion());
        if (markersSwept.size() > MARKERS_REMEMBERED) {
            markersSwept.removeFirst();
        }
        Set<String> indexes = new HashSet<>(action.catchUpIndexes());
        long watermark = function.watermark(timers.currentWatermark());
        int[] retracted = {0};
        this.<String>getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        function.contributionsDescriptor(),
                        (documentKey, state) -> {
                            if (function.retractIfVanished(
                                    documentKey,
                                    action.getVersion(),
                                    indexes,
                                    watermark,
                                    sweepOutput,
                                    late ->
                                            output.collect(
                                                    RollupContributionFunction.LATE_CHANGES,
                                                    new StreamRecord<>(late)))) {
                                retracted[0]++;
                            }
                        });
        LOG.info(
                "Catch-up of {} finished (rescan from server time {}): retracted the rollup"
                        + " contributions of {} records whose keys are gone",
                indexes,
                action.getVersion(),
                retracted[0]);
    }
}
