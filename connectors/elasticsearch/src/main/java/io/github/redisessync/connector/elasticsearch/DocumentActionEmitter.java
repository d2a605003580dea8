package io.github.redisessync.connector.elasticsearch;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;

/**
 * Turns a {@link DocumentAction} into the bulk request that writes it.
 *
 * <p>Documents are written whole, with the id the mapper derived from the Redis key, so a replay of
 * the same action leaves the same document. Version-guarded writes come with the exactly-once sink.
 */
public class DocumentActionEmitter implements ElasticsearchEmitter<DocumentAction> {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(DocumentAction action, SinkWriter.Context context, RequestIndexer indexer) {
        switch (action.getOp()) {
            case INDEX:
                indexer.add(
                        new IndexRequest(action.getIndex())
                                .id(action.getId())
                                .source(action.getSource(), XContentType.JSON));
                break;
            case DELETE:
                indexer.add(new DeleteRequest(action.getIndex(), action.getId()));
                break;
            default:
                throw new IllegalArgumentException("Unknown document action " + action.getOp());
        }
    }
}
