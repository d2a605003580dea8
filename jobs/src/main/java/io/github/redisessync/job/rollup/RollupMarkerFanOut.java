package io.github.redisessync.job.rollup;

import io.github.redisessync.job.mapping.SyncAction;
import java.util.List;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.Collector;

/**
 * Passes documents on and turns each catch-up marker into one copy per key group of the operator
 * keyed by document after it, so that every subtask of that operator receives the marker in the
 * same stream as, and after, the documents that preceded it. A broadcast input would not do: Flink
 * keeps no order between two inputs of an operator.
 *
 * <p>The copies are keyed for this operator's max parallelism, which the keyed operator shares when
 * neither sets its own (both take the job's); the copies carry it, and the keyed operator refuses a
 * marker keyed for another.
 */
final class RollupMarkerFanOut extends RichFlatMapFunction<SyncAction, SyncAction> {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "catch-up|";

    private transient String[] idPerKeyGroup;

    @Override
    public void flatMap(SyncAction action, Collector<SyncAction> out) {
        if (!action.isCatchUpMarker()) {
            out.collect(action);
            return;
        }
        if (idPerKeyGroup == null) {
            idPerKeyGroup =
                    idsPerKeyGroup(
                            getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks());
        }
        for (String id : idPerKeyGroup) {
            SyncAction copy =
                    SyncAction.catchUpFinished(action.catchUpIndexes(), action.getVersion());
            copy.setId(id);
            out.collect(copy);
        }
    }

    /** For each key group, an id whose document key ({@code "/" + id}) falls in it. */
    static String[] idsPerKeyGroup(int maxParallelism) {
        String[] ids = new String[maxParallelism];
        int found = 0;
        for (long n = 0; found < maxParallelism; n++) {
            String id = PREFIX + maxParallelism + "|" + n;
            SyncAction probe = SyncAction.catchUpFinished(List.of(), 0);
            probe.setId(id);
            int group =
                    KeyGroupRangeAssignment.assignToKeyGroup(probe.documentKey(), maxParallelism);
            if (ids[group] == null) {
                ids[group] = id;
                found++;
            }
        }
        return ids;
    }

    /** Fails when {@code marker} was keyed for another max parallelism than {@code expected}. */
    static void checkMaxParallelism(SyncAction marker, int expected) {
        String id = marker.getId();
        if (id == null || !id.startsWith(PREFIX)) {
            return; // not fanned out: a test or a graph without the fan-out
        }
        int keyedFor =
                Integer.parseInt(id.substring(PREFIX.length(), id.indexOf('|', PREFIX.length())));
        if (keyedFor != expected) {
            throw new IllegalStateException(
                    "The rollup catch-up marker was keyed for max parallelism "
                            + keyedFor
                            + " but the rollup operator has "
                            + expected
                            + "; set one max parallelism for the whole job"
                            + " (pipeline.max-parallelism).");
        }
    }
}
