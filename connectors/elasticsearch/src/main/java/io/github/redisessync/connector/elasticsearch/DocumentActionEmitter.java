package io.github.redisessync.connector.elasticsearch;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.VersionType;

/**
 * Turns a {@link DocumentAction} into the bulk request that writes it, versioned with the Redis
 * read it came from.
 *
 * <p>Both index and delete carry {@code version_type=external_gte} and the action's version (Redis
 * server time of the read, in microseconds). Elasticsearch then applies a write only if its version
 * is at least the stored one: a replay of the same action after a restore rewrites the same
 * document (equal version: accepted, no failure), and an older action is refused with a 409 that
 * {@link BulkOutcomeListener} drops. {@link DocumentVersionGate} before the sink keeps such older
 * actions from being sent at all, because the 3.0.1 writer fails the job on any failed item that
 * reaches it. A delete leaves a versioned tombstone that Elasticsearch keeps for {@code
 * index.gc_deletes} (60 s by default); the gate's own tombstones cover the time after that.
 */
public class DocumentActionEmitter implements ElasticsearchEmitter<DocumentAction> {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(DocumentAction action, SinkWriter.Context context, RequestIndexer indexer) {
        switch (action.getOp()) {
            case INDEX:
                TrackedRequests.Index index =
                        new TrackedRequests.Index(action.getIndex(), action.getRedisKey());
                index.id(action.getId())
                        .source(action.getSource(), XContentType.JSON)
                        .versionType(VersionType.EXTERNAL_GTE)
                        .version(action.getVersion());
                indexer.add(index);
                break;
            case DELETE:
                TrackedRequests.Delete delete =
                        new TrackedRequests.Delete(
                                action.getIndex(), action.getId(), action.getRedisKey());
                delete.versionType(VersionType.EXTERNAL_GTE).version(action.getVersion());
                indexer.add(delete);
                break;
            default:
                throw new IllegalArgumentException("Unknown document action " + action.getOp());
        }
    }
}
