package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;

/** Builds the document sink from options. */
public final class ElasticsearchDocumentSinkFactory {

    private ElasticsearchDocumentSinkFactory() {}

    private static Duration versionGateTtl(Configuration options) {
        Duration ttl = options.get(ElasticsearchSinkOptions.VERSION_GATE_TTL);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException(
                    "Setting '"
                            + ElasticsearchSinkOptions.VERSION_GATE_TTL.key()
                            + "' must be positive, was "
                            + ttl
                            + ".");
        }
        return ttl;
    }

    /** The document sink; documents Elasticsearch rejects are logged as dead letters. */
    public static Sink<DocumentAction> create(Configuration options) {
        return create(options, new LogRejectedDocuments());
    }

    /**
     * An at-least-once sink: buffered actions are flushed before every checkpoint completes, and
     * every write carries its Redis version ({@link BulkRequestBody}), so a restored job's replay
     * and any reordering leave the newest read in Elasticsearch. The options are checked here, so a
     * bad setting fails when the job is built, not when it runs.
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
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(
                    "Setting '"
                            + ElasticsearchSinkOptions.HOSTS.key()
                            + "' names no Elasticsearch URL.");
        }
        // Credentials leave the URLs here: the sink keeps host names only.
        ElasticsearchCredentials credentials =
                ElasticsearchCredentials.of(urls.get(0), environment);
        List<String> hosts = urls.stream().map(ElasticsearchUrls::withoutUserInfo).toList();
        hosts.forEach(ElasticsearchUrls::parse); // a bad URL fails here, not in a running writer
        // The TLS files' paths travel with the sink; each writer reads the files where it runs.
        ElasticsearchTls tls = ElasticsearchTls.of(urls.get(0), environment);
        return new ElasticsearchDocumentSink(
                hosts,
                rejections,
                credentials,
                tls,
                BulkLimits.of(options),
                options.get(ElasticsearchSinkOptions.CONNECTION_TIMEOUT).toMillis(),
                options.get(ElasticsearchSinkOptions.SOCKET_TIMEOUT).toMillis(),
                versionGateTtl(options));
    }
}
