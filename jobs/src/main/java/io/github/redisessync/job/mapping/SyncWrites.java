package io.github.redisessync.job.mapping;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * Takes the writes out of the job's stream of {@link SyncAction}s for the sink, and drops the
 * signals, which only the job's own operators read.
 */
public final class SyncWrites implements FlatMapFunction<SyncAction, DocumentAction> {
    private static final long serialVersionUID = 1L;

    /** The writes of {@code actions}, chained to the operator before (stateless, no uid state). */
    public static DataStream<DocumentAction> of(DataStream<SyncAction> actions) {
        return of(actions, "document-writes");
    }

    /**
     * The same with a name of its own, for a second stream of actions: taking the writes out of
     * each stream before a union keeps them chained, where after it they would be an operator of
     * their own that every record crosses the network to reach.
     */
    public static DataStream<DocumentAction> of(DataStream<SyncAction> actions, String name) {
        return actions.flatMap(new SyncWrites(), TypeInformation.of(DocumentAction.class))
                .uid(name)
                .name(name);
    }

    @Override
    public void flatMap(SyncAction action, Collector<DocumentAction> out) {
        if (action.isWrite()) {
            out.collect(action.getDocument());
        }
    }
}
