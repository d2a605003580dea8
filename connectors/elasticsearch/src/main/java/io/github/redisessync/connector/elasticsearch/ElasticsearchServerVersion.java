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
 * Reads the version of the node a client talks to; {@link SearchServerInfo} also tells
 * Elasticsearch from OpenSearch.
 *
 * <p>{@code GET /_nodes/_local?filter_path=nodes.*.version} works on every distribution ({@code GET
 * /} is missing from some, e.g. the 8.x integ-test-zip, which answers it with 405).
 */
public final class ElasticsearchServerVersion {
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
}
