package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@link DocumentAction#documentKey()}: passes an action on only if its version is newer
 * than the last one passed for the same document, and counts the others as stale writes skipped.
 *
 * <p>Why a gate when the sink writes with {@code external_gte}: a stale write would cost a place in
 * a bulk and a 409 that the writer can only count, and Elasticsearch forgets its own delete
 * tombstones. The sink adds the gate itself, in front of its writers ({@link
 * ElasticsearchDocumentSink#addPreWriteTopology}), so no caller can leave it out. Deletes leave
 * their version here as a tombstone, which also covers the time after Elasticsearch has forgotten
 * its own delete tombstone ({@code index.gc_deletes}, 60 s by default): a late, older index of a
 * deleted document is dropped here instead of resurrecting it. The state lives for {@code ttl}
 * after the last write of a document; a reordering longer than that (none is: actions of one key
 * are minutes apart at most, and a restored job re-reads every key it replays) could let an older
 * write through, which Elasticsearch then still refuses while it holds a newer version or
 * tombstone.
 *
 * <p>If the Redis clock steps backwards, reads carry versions lower than ones already written: the
 * gate drops them (counted in {@value #STALE_WRITES}) and Elasticsearch would refuse them, so a key
 * changed in that window keeps its older document until the clock has passed the last version
 * written and the key changes (or is rescanned) again. The job keeps running; a reindex into a
 * fresh index resolves it at once.
 */
public class DocumentVersionGate
        extends KeyedProcessFunction<String, DocumentAction, DocumentAction> {
    private static final long serialVersionUID = 1L;

    /** Name of the counter of actions dropped because a newer version was already passed on. */
    public static final String STALE_WRITES = "staleWritesSkipped";

    private final Duration ttl;
    private transient ValueState<Long> lastVersion;
    private transient Counter staleWrites;

    public DocumentVersionGate(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("version-gate.ttl must be positive, was " + ttl);
        }
        this.ttl = ttl;
    }

    @Override
    public void open(Configuration parameters) {
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("last-version", Long.class);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        lastVersion = getRuntimeContext().getState(descriptor);
        staleWrites = getRuntimeContext().getMetricGroup().counter(STALE_WRITES);
    }

    @Override
    public void processElement(DocumentAction action, Context ctx, Collector<DocumentAction> out)
            throws Exception {
        Long last = lastVersion.value();
        if (last != null && action.getVersion() <= last) {
            staleWrites.inc();
            return;
        }
        lastVersion.update(action.getVersion());
        out.collect(action);
    }
}
