package io.github.redisessync.connector.elasticsearch;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.apache.flink.connector.elasticsearch.sink.FlushBackoffType;
import org.apache.flink.connector.elasticsearch.sink.HookedElasticsearch7SinkBuilder;
import org.apache.http.HttpHost;

/** Builds the document sink from options. */
public final class ElasticsearchDocumentSinkFactory {

    private ElasticsearchDocumentSinkFactory() {}

    /** The document sink; documents Elasticsearch rejects are logged as dead letters. */
    public static Sink<DocumentAction> create(Configuration options) {
        return create(options, new LogRejectedDocuments());
    }

    /**
     * An at-least-once sink: buffered actions are flushed before every checkpoint completes, and
     * every write carries its Redis version ({@link DocumentActionEmitter}), so a restored job's
     * replay and any reordering leave the newest read in Elasticsearch. The options are checked
     * here, so a bad setting fails when the job is built, not when it runs.
     */
    public static Sink<DocumentAction> create(
            Configuration options, RejectedDocumentHandler rejections) {
        return create(options, rejections, System.getenv());
    }

    /**
     * As {@link #create(Configuration, RejectedDocumentHandler)}, with the credentials and TLS
     * files of {@code environment} where the URL names none.
     */
    public static Sink<DocumentAction> create(
            Configuration options,
            RejectedDocumentHandler rejections,
            Map<String, String> environment) {
        List<String> urls = options.getOptional(ElasticsearchSinkOptions.HOSTS).orElse(List.of());
        // Credentials leave the configuration here: it keeps host names only.
        ElasticsearchCredentials credentials =
                urls.isEmpty()
                        ? ElasticsearchCredentials.none()
                        : ElasticsearchCredentials.of(urls.get(0), environment);
        Configuration hostsOnly = new Configuration(options);
        if (!urls.isEmpty()) {
            hostsOnly.set(
                    ElasticsearchSinkOptions.HOSTS,
                    urls.stream().map(ElasticsearchUrls::withoutUserInfo).toList());
        }
        // The TLS files' paths travel with the sink; each writer reads the files where it runs.
        ElasticsearchTls tls =
                urls.isEmpty()
                        ? ElasticsearchTls.jvmDefaults()
                        : ElasticsearchTls.of(urls.get(0), environment);
        build(hostsOnly, new DocumentBulkSessions(rejections, credentials, tls, hostsOnly, null));
        return new ElasticsearchDocumentSink(hostsOnly, rejections, credentials, tls);
    }

    static ElasticsearchSink<DocumentAction> build(
            ReadableConfig options, DocumentBulkSessions sessions) {
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
        HookedElasticsearch7SinkBuilder<DocumentAction> builder =
                new HookedElasticsearch7SinkBuilder<DocumentAction>()
                        .setBulkSessionFactory(sessions);
        builder.setEmitter(new DocumentActionEmitter());
        builder.setHosts(hosts)
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
                        (int) options.get(ElasticsearchSinkOptions.SOCKET_TIMEOUT).toMillis());
        return builder.build();
    }
}
