package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;

/**
 * Where the sink puts documents Elasticsearch rejects for their content, instead of failing the
 * job. Called on the client's I/O thread: implementations must not block.
 */
public interface RejectedDocumentHandler extends Serializable {

    /** Called once per sink writer with the writer's client, before any document is rejected. */
    default void open(RestHighLevelClient client, RequestOptions options) {}

    void rejected(RejectedDocument document);
}
