package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import org.apache.http.Header;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/**
 * Low-level REST clients for our own requests (index setup, verify, reindex, sweeps), with the
 * credentials the URL or the environment gives ({@link ElasticsearchCredentials}), so that every
 * tool reaches a secured cluster the way the sink does.
 */
public final class ElasticsearchRestClients {

    private ElasticsearchRestClients() {}

    /** A client for {@code url}; the caller closes it. */
    public static RestClient create(String url, Duration connectTimeout, Duration socketTimeout) {
        ElasticsearchCredentials credentials = ElasticsearchCredentials.of(url, System.getenv());
        Header[] headers =
                credentials
                        .authorization()
                        .map(value -> new Header[] {new BasicHeader("Authorization", value)})
                        .orElse(new Header[0]);
        return RestClient.builder(ElasticsearchUrls.parse(url))
                .setDefaultHeaders(headers)
                .setRequestConfigCallback(
                        config ->
                                config.setConnectTimeout((int) connectTimeout.toMillis())
                                        .setSocketTimeout((int) socketTimeout.toMillis()))
                .build();
    }
}
