package io.github.redisessync.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestClient;

/**
 * Reads the version of the node a client talks to, and the request options the 7.10 client needs to
 * talk to it.
 *
 * <p>{@code GET /_nodes/_local?filter_path=nodes.*.version} works on every distribution ({@code GET
 * /} is missing from some, e.g. the 8.x integ-test-zip, which answers it with 405).
 */
public final class ElasticsearchServerVersion {
    /** REST API compatibility (ES 8 and later): responses and requests in the 7.x format. */
    static final String COMPATIBLE_WITH_7 = "application/vnd.elasticsearch+json;compatible-with=7";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchServerVersion() {}

    /** The version string of the node answering, e.g. {@code 8.19.21}. */
    public static String read(RestClient client) throws IOException {
        return read(client, RequestOptions.DEFAULT);
    }

    /** {@link #read(RestClient)} with request options, e.g. an {@code Authorization} header. */
    public static String read(RestClient client, RequestOptions options) throws IOException {
        Request request = new Request("GET", "/_nodes/_local");
        request.addParameter("filter_path", "nodes.*.version");
        request.setOptions(options);
        JsonNode nodes =
                JSON.readTree(EntityUtils.toString(client.performRequest(request).getEntity()))
                        .path("nodes");
        Iterator<JsonNode> it = nodes.elements();
        if (!it.hasNext()) {
            throw new IOException("The node did not report its version.");
        }
        return it.next().path("version").asText();
    }

    /** The major version, e.g. 8 for {@code 8.19.21}; 0 when the text is not a version. */
    public static int major(String version) {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Options for the high-level client's requests: for 8.x and later the compatibility headers,
     * without which the 7.10 client cannot parse the answers ("Unable to parse response body"); for
     * 7.x none. A Content-Type header in the options takes precedence over the entity's own ({@code
     * application/json}): the HTTP client adds the entity's only when none is set.
     */
    public static RequestOptions requestOptionsFor(String version) {
        if (major(version) < 8) {
            return RequestOptions.DEFAULT;
        }
        return RequestOptions.DEFAULT.toBuilder()
                .addHeader("Accept", COMPATIBLE_WITH_7)
                .addHeader("Content-Type", COMPATIBLE_WITH_7)
                .build();
    }
}
