package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import org.apache.flink.configuration.ReadableConfig;

/** How the writer batches and how long it keeps trying, from {@link ElasticsearchSinkOptions}. */
record BulkLimits(
        int maxActions, long maxBytes, long intervalMillis, int maxRetries, long firstDelayMillis)
        implements Serializable {

    BulkLimits {
        require(maxActions > 0, ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS.key(), maxActions);
        require(maxBytes > 0, ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB.key(), maxBytes);
        require(
                intervalMillis > 0,
                ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL.key(),
                intervalMillis);
        require(
                maxRetries >= 0,
                ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES.key(),
                maxRetries);
        require(
                firstDelayMillis > 0,
                ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY.key(),
                firstDelayMillis);
    }

    static BulkLimits of(ReadableConfig options) {
        return new BulkLimits(
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS),
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB) * 1024L * 1024L,
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL).toMillis(),
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES),
                options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY).toMillis());
    }

    private static void require(boolean valid, String setting, long value) {
        if (!valid) {
            throw new IllegalArgumentException(
                    "Setting '" + setting + "' cannot be " + value + ".");
        }
    }
}
