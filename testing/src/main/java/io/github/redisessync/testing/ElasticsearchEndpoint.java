package io.github.redisessync.testing;

import io.github.redisessync.embedded.ElasticsearchHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Elasticsearch (or OpenSearch) server a test run talks to, where it came from, and a few HTTP
 * helpers.
 */
public final class ElasticsearchEndpoint {

    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    private final String server;
    private final String url;
    private final String version;
    private final String provider;
    private final ElasticsearchHttp http;

    ElasticsearchEndpoint(String url, String version, String provider) {
        this("Elasticsearch", url, version, provider);
    }

    /** {@code server} names the product in {@link #toString()}: {@code OpenSearch}. */
    ElasticsearchEndpoint(String server, String url, String version, String provider) {
        this.server = server;
        this.url = url;
        this.version = version;
        this.provider = provider;
        this.http = new ElasticsearchHttp(URI.create(url));
    }

    /** {@code http://host:port}, with credentials if the external server needs them. */
    public String url() {
        return url;
    }

    /** The version the node reported, e.g. {@code 7.10.2}. */
    public String version() {
        return version;
    }

    /** Where the server came from, e.g. {@code embedded cluster-runner node}. */
    public String provider() {
        return provider;
    }

    /** Plain HTTP access for what the helpers below do not cover. */
    public ElasticsearchHttp http() {
        return http;
    }

    /** Makes everything indexed so far searchable. */
    public void refresh(String index) {
        expectSuccess("POST", "/" + index + "/_refresh");
    }

    /** The number of documents in an index (or alias, or pattern), after a refresh. */
    public long count(String index) {
        refresh(index);
        String body = expectSuccess("GET", "/" + index + "/_count");
        Matcher matcher = COUNT.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("No count in the answer for " + index + ": " + body);
        }
        return Long.parseLong(matcher.group(1));
    }

    private String expectSuccess(String method, String path) {
        try {
            ElasticsearchHttp.Response response = http.send(method, path, null);
            if (!response.isSuccess()) {
                throw new IllegalStateException(
                        method
                                + " "
                                + path
                                + " on "
                                + http.origin()
                                + " answered "
                                + response.status()
                                + ": "
                                + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on " + http.origin(), e);
        }
    }

    @Override
    public String toString() {
        return server + " " + version + " at " + http.origin() + " (" + provider + ")";
    }
}
