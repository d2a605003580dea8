package io.github.redisessync.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A few plain HTTP calls to Elasticsearch (or OpenSearch) with the JDK's client, so that neither
 * the embedded servers nor the test utilities put an Elasticsearch client on anyone's classpath.
 *
 * <pre>{@code
 * ElasticsearchHttp es = new ElasticsearchHttp(URI.create("http://127.0.0.1:9200"));
 * String version = es.version();
 * es.send("POST", "/my-index/_refresh", null);
 * }</pre>
 */
public final class ElasticsearchHttp {

    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

    private final String origin;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient client;

    /** A URL such as {@code http://user:password@host:9200}; user info becomes basic auth. */
    public ElasticsearchHttp(URI baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    public ElasticsearchHttp(URI baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /** For {@code https://} with a CA of its own: {@code ssl} trusts it (null: the JVM's CAs). */
    public ElasticsearchHttp(URI baseUrl, Duration timeout, SSLContext ssl) {
        if (baseUrl.getScheme() == null
                || !baseUrl.getScheme().startsWith("http")
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException(
                    "The Elasticsearch URL must look like http://host:port, was " + baseUrl + ".");
        }
        String userInfo = baseUrl.getRawUserInfo();
        this.authorization =
                userInfo == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                URLDecoder.decode(
                                                                userInfo.replace("+", "%2B"),
                                                                StandardCharsets.UTF_8)
                                                        .getBytes(StandardCharsets.UTF_8));
        this.origin =
                baseUrl.getScheme()
                        + "://"
                        + baseUrl.getHost()
                        + (baseUrl.getPort() == -1 ? "" : ":" + baseUrl.getPort());
        this.timeout = timeout;
        // HTTP/1.1 because the JDK's default h2c upgrade request confuses some proxies.
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(timeout);
        this.client = (ssl == null ? builder : builder.sslContext(ssl)).build();
    }

    /** The status and body of one answer. */
    public record Response(int status, String body) {
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends a request with an optional JSON body.
     *
     * @param path starting with {@code /}, query string included
     * @throws IOException if the server cannot be reached; an error status is not an exception
     */
    public Response send(String method, String path, String jsonBody) throws IOException {
        return send(method, path, jsonBody, "application/json");
    }

    /**
     * Sends a request with an optional body of {@code contentType}, e.g. {@code
     * application/x-ndjson} for {@code _bulk}.
     *
     * @throws IOException if the server cannot be reached; an error status is not an exception
     */
    public Response send(String method, String path, String body, String contentType)
            throws IOException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(origin + path))
                        .timeout(timeout)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted during " + method + " " + path, e);
        }
    }

    /**
     * The version of the node that answers. Reads {@code GET /_nodes/_local} because {@code GET /}
     * is restricted on some hosted distributions.
     */
    public String version() throws IOException {
        Response response = send("GET", "/_nodes/_local?filter_path=nodes.*.version", null);
        if (!response.isSuccess()) {
            throw new IOException(
                    "GET /_nodes/_local on "
                            + origin()
                            + " answered "
                            + response.status()
                            + ": "
                            + response.body());
        }
        return parseVersion(response.body());
    }

    /** Whether the cluster is at least yellow within about a second; false if unreachable. */
    public boolean isYellowOrGreen() {
        try {
            return send("GET", "/_cluster/health?wait_for_status=yellow&timeout=1s", null)
                    .isSuccess();
        } catch (IOException e) {
            return false;
        }
    }

    /** The base URL without credentials, for messages. */
    public String origin() {
        return origin;
    }

    static String parseVersion(String body) throws IOException {
        Matcher matcher = VERSION.matcher(body);
        if (!matcher.find()) {
            throw new IOException("No node version in " + body);
        }
        return matcher.group(1);
    }
}
