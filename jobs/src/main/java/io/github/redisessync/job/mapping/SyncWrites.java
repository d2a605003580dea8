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
        return actions.flatMap(new SyncWrites(), TypeInformation.of(DocumentAction.class))
                .uid("document-writes")
                .name("document-writes");
    }

    @Override
    public void flatMap(SyncAction action, Collector<DocumentAction> out) {
        if (action.isWrite()) {
            out.collect(action.getDocument());
        }
    }
}
