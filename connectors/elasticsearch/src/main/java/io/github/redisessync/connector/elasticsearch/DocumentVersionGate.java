package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@link DocumentAction#documentKey()}: remembers the version of each recent delete, as a
 * tombstone, and drops a write of the same document that is not newer than it (counted as a stale
 * write skipped). Every other action passes.
 *
 * <p>Why only deletes: the sink writes with {@code external_gte}, so Elasticsearch itself refuses
 * an older index or delete of a document it holds (409, skipped item by item and counted by the
 * writer). What it cannot refuse is a late, older index of a document it has deleted once it has
 * forgotten that delete's tombstone ({@code index.gc_deletes}, 60 s by default): that would
 * resurrect the document. This gate covers exactly that window, and nothing else, so its state is
 * the deletes of the last {@code ttl}, not one entry per document ever written: a checkpoint's size
 * follows the deletes, not the key count. A newer write that passes clears the tombstone.
 *
 * <p>The gate runs in front of the writers ({@link ElasticsearchDocumentSink#addPreWriteTopology}),
 * so no caller can leave it out, and its keyBy sends all writes of one document to one writer, in
 * order. A reordering longer than {@code ttl} (none is: actions of one key are minutes apart at
 * most, and a restored job re-reads every key it replays) could let an older index of a deleted
 * document through once Elasticsearch has forgotten the delete.
 *
 * <p>State written by earlier versions of the gate (the last version of every document) reads as
 * tombstones: the gate then drops only writes that Elasticsearch would refuse anyway, and each
 * entry goes with the next newer write or its TTL.
 *
 * <p>If the Redis clock steps backwards, reads carry versions lower than ones already written:
 * Elasticsearch refuses them (and the gate drops them after a delete), so a key changed in that
 * window keeps its older document until the clock has passed the last version written and the key
 * changes (or is rescanned) again. The job keeps running; a reindex into a fresh index resolves it
 * at once.
 */
public class DocumentVersionGate
        extends KeyedProcessFunction<String, DocumentAction, DocumentAction> {
    private static final long serialVersionUID = 1L;

    /** Name of the counter of actions dropped because a newer or equal delete was passed on. */
    public static final String STALE_WRITES = "staleWritesSkipped";

    private final Duration ttl;
    private transient ValueState<Long> tombstones;
    private transient Counter staleWrites;

    public DocumentVersionGate(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("version-gate.ttl must be positive, was " + ttl);
        }
        this.ttl = ttl;
    }

    @Override
    public void open(Configuration parameters) {
        // The name of the state that once held every document's last version: a restore from such
        // a checkpoint reads it as tombstones (see the class comment).
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("last-version", Long.class);
        // Each tombstone goes with a timer of its own (onTimer). Flink's incremental cleanup would
        // instead walk the state on every access, which costs most when the state is nearly
        // empty, as this one mostly is; a full snapshot still leaves expired entries out.
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .build());
        tombstones = getRuntimeContext().getState(descriptor);
        staleWrites = getRuntimeContext().getMetricGroup().counter(STALE_WRITES);
    }

    @Override
    public void processElement(DocumentAction action, Context ctx, Collector<DocumentAction> out)
            throws Exception {
        Long tombstone = tombstones.value();
        if (tombstone != null && action.getVersion() <= tombstone) {
            staleWrites.inc();
            return;
        }
        if (action.getOp() == DocumentAction.Op.DELETE) {
            tombstones.update(action.getVersion());
            TimerService timers = ctx.timerService();
            timers.registerProcessingTimeTimer(timers.currentProcessingTime() + ttl.toMillis());
        } else if (tombstone != null) {
            tombstones.clear();
        }
        out.collect(action);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DocumentAction> out)
            throws Exception {
        // Reading an expired tombstone removes it; one written again since has a later timer.
        tombstones.value();
    }
}
