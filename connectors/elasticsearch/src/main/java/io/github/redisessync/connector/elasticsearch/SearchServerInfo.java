package io.github.redisessync.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Which search server a client talks to: Elasticsearch or OpenSearch, and its version. Read once,
 * when a writer or a tool starts, so that an unsupported server is refused with a clear error
 * instead of failing on its first bulk.
 *
 * <p>{@code GET /} names the distribution ({@code version.distribution: opensearch}); the
 * integ-test-zips of Elasticsearch 8 and 9 answer it with 405, so {@code GET /_nodes/_local} is the
 * fallback, which only Elasticsearch lacks a distribution name in.
 */
public record SearchServerInfo(Kind kind, String version) {

    /**
     * The product family; both speak the same bulk and search APIs as far as this job uses them.
     */
    public enum Kind {
        ELASTICSEARCH("Elasticsearch"),
        OPENSEARCH("OpenSearch");

        private final String product;

        Kind(String product) {
            this.product = product;
        }

        public String product() {
            return product;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server at the client's hosts says it is. */
    public static SearchServerInfo read(RestClient client) throws IOException {
        try {
            JsonNode root =
                    JSON.readTree(
                            EntityUtils.toByteArray(
                                    client.performRequest(new Request("GET", "/")).getEntity()));
            JsonNode version = root.path("version");
            String number = version.path("number").asText("");
            if (!number.isEmpty()) {
                boolean opensearch =
                        "opensearch".equalsIgnoreCase(version.path("distribution").asText(""));
                return new SearchServerInfo(
                        opensearch ? Kind.OPENSEARCH : Kind.ELASTICSEARCH, number);
            }
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 401 || status == 403) {
                throw e;
            }
            // Else the root is missing here (405 on the integ-test-zips): ask the node itself.
        }
        Request nodes = new Request("GET", "/_nodes/_local");
        nodes.addParameter("filter_path", "nodes.*.version");
        JsonNode answer =
                JSON.readTree(EntityUtils.toByteArray(client.performRequest(nodes).getEntity()));
        Iterator<JsonNode> it = answer.path("nodes").elements();
        if (!it.hasNext()) {
            throw new IOException("The server did not report its version.");
        }
        return new SearchServerInfo(Kind.ELASTICSEARCH, it.next().path("version").asText());
    }

    /** The major version, e.g. 8 for {@code 8.19.21}; 0 when the text is not a version. */
    public int major() {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Whether the job supports this server: Elasticsearch 7 or later (7.10, 7.17, 8.19 and 9.2 are
     * tested), or any OpenSearch (2.19 and 3.2 are tested). Elasticsearch 6 and older lack typeless
     * bulk requests; a newer major than those tested is let through, since the bulk format has not
     * changed since 7.
     */
    public boolean supported() {
        return kind == Kind.OPENSEARCH || major() >= 7;
    }

    /**
     * This, or an error that names the server at {@code where} and the versions that would work.
     */
    public SearchServerInfo requireSupported(String where) {
        if (!supported()) {
            throw new ElasticsearchAccessException(
                    "The server at "
                            + where
                            + " is "
                            + this
                            + ", which this job does not support. Supported: Elasticsearch 7.10 or"
                            + " later, and OpenSearch.");
        }
        return this;
    }

    @Override
    public String toString() {
        return kind.product() + " " + version;
    }
}
