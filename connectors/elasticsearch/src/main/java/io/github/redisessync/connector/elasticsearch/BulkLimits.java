package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How the writer batches and how long it keeps trying, from {@link ElasticsearchSinkOptions}, which
 * {@link ElasticsearchDocumentSinkFactory} has checked.
 */
record BulkLimits(
        int maxActions, long maxBytes, long intervalMillis, int maxRetries, long firstDelayMillis)
        implements Serializable {

    static BulkLimits of(ReadableConfig options) {
        int maxActions = options.get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS);
        return new BulkLimits(
                // -1 switches the count limit off; the size and the interval still flush.
                maxActions == -1 ? Integer.MAX_VALUE : maxActions,
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB) * 1024L * 1024L,
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL).toMillis(),
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES),
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY).toMillis());
    }
}
