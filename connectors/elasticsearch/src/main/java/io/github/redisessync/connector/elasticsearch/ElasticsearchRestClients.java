package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Low-level REST clients for our own requests (index setup, verify, reindex, sweeps) and for the
 * sink's bulks, with the credentials ({@link ElasticsearchCredentials}) and the TLS files ({@link
 * ElasticsearchTls}) the URL or the environment gives, so that every tool reaches a secured cluster
 * the way the sink does.
 */
public final class ElasticsearchRestClients {

    private ElasticsearchRestClients() {}

    /** A client for {@code url}; the caller closes it. */
    public static RestClient create(String url, Duration connectTimeout, Duration socketTimeout) {
        return create(url, System.getenv(), connectTimeout, socketTimeout);
    }

    /**
     * A client for {@code url}, with the credentials and TLS files {@code environment} gives where
     * the URL names none ({@code ES_API_KEY}, {@code ES_CA_FILE}, ...); the caller closes it.
     */
    public static RestClient create(
            String url,
            Map<String, String> environment,
            Duration connectTimeout,
            Duration socketTimeout) {
        return create(
                ElasticsearchUrls.withoutUserInfo(url),
                ElasticsearchCredentials.of(url, environment),
                ElasticsearchTls.of(url, environment),
                connectTimeout,
                socketTimeout);
    }

    /**
     * A client for {@code url} with credentials and TLS files resolved before, where the job was
     * built: a TaskManager need not have the client's environment or secret files.
     */
    public static RestClient create(
            String url,
            ElasticsearchCredentials credentials,
            ElasticsearchTls tls,
            Duration connectTimeout,
            Duration socketTimeout) {
        return create(List.of(url), credentials, tls, connectTimeout, socketTimeout);
    }

    /** As above, round-robin over the hosts of {@code urls} (the sink's writers). */
    public static RestClient create(
            List<String> urls,
            ElasticsearchCredentials credentials,
            ElasticsearchTls tls,
            Duration connectTimeout,
            Duration socketTimeout) {
        Header[] headers =
                credentials
                        .authorization()
                        .map(value -> new Header[] {new BasicHeader("Authorization", value)})
                        .orElse(new Header[0]);
        return builder(urls, tls, connectTimeout, socketTimeout).setDefaultHeaders(headers).build();
    }

    /**
     * A builder for the hosts of {@code urls} with the TLS files of {@code tls} and the timeouts;
     * credentials are the caller's (a header or request options).
     */
    static RestClientBuilder builder(
            List<String> urls,
            ElasticsearchTls tls,
            Duration connectTimeout,
            Duration socketTimeout) {
        HttpHost[] hosts = urls.stream().map(ElasticsearchUrls::parse).toArray(HttpHost[]::new);
        // No client meta header: the requests stay the same for Elasticsearch and OpenSearch.
        return tls.applyTo(RestClient.builder(hosts))
                .setMetaHeaderEnabled(false)
                .setRequestConfigCallback(
                        config ->
                                config.setConnectTimeout((int) connectTimeout.toMillis())
                                        .setSocketTimeout((int) socketTimeout.toMillis()));
    }
}
