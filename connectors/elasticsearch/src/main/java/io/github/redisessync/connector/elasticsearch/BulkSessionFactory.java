package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import java.util.function.BiConsumer;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.RestHighLevelClient;

/**
 * Opens, for each sink writer, how its bulk requests are sent and how their outcome is judged
 * before the connector's writer sees it. Used by {@code HookedElasticsearch7SinkBuilder}.
 */
public interface BulkSessionFactory extends Serializable {

    /**
     * Called once per writer, in its constructor, with the writer's client and listener.
     *
     * @throws RuntimeException when the server cannot be reached; the writer, and so the job, fails
     *     and restarts
     */
    BulkSession open(RestHighLevelClient client, BulkProcessor.Listener writerListener);

    /** The two parts a bulk processor is built from. */
    interface BulkSession {
        BiConsumer<BulkRequest, ActionListener<BulkResponse>> sender();

        BulkProcessor.Listener listener();
    }
}
