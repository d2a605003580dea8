package io.github.redisessync.connector.elasticsearch;

import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.Elasticsearch7SinkBuilder;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.apache.flink.connector.elasticsearch.sink.FlushBackoffType;
import org.apache.http.HttpHost;

/** Builds the connector's {@link ElasticsearchSink} for {@link DocumentAction}s from options. */
public final class ElasticsearchDocumentSinkFactory {

    private ElasticsearchDocumentSinkFactory() {}

    /**
     * An at-least-once sink: buffered actions are flushed before every checkpoint completes, so a
     * restored job replays only actions whose writes are idempotent (whole documents by id).
     */
    public static ElasticsearchSink<DocumentAction> create(ReadableConfig options) {
        List<String> urls =
                options.getOptional(ElasticsearchSinkOptions.HOSTS)
                        .filter(list -> !list.isEmpty())
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "Setting '"
                                                        + ElasticsearchSinkOptions.HOSTS.key()
                                                        + "' names no Elasticsearch URL."));
        HttpHost[] hosts = urls.stream().map(ElasticsearchUrls::parse).toArray(HttpHost[]::new);
        return new Elasticsearch7SinkBuilder<DocumentAction>()
                .setHosts(hosts)
                .setEmitter(new DocumentActionEmitter())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(
                        options.get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS))
                .setBulkFlushMaxSizeMb(options.get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB))
                .setBulkFlushInterval(
                        options.get(ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL).toMillis())
                .setBulkFlushBackoffStrategy(
                        FlushBackoffType.EXPONENTIAL,
                        options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES),
                        options.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY).toMillis())
                .setConnectionTimeout(
                        (int) options.get(ElasticsearchSinkOptions.CONNECTION_TIMEOUT).toMillis())
                .setSocketTimeout(
                        (int) options.get(ElasticsearchSinkOptions.SOCKET_TIMEOUT).toMillis())
                .build();
    }
}
