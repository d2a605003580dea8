package io.github.redisessync.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.http.HttpEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Index administration over Elasticsearch's REST API: the server version, index creation from a
 * {@link IndexDefinition}, refresh and count.
 *
 * <p>Runs on the client side (job start-up, launcher, verification), never per record.
 */
public final class ElasticsearchIndexManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchIndexManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final RestClient client;
    private final ElasticsearchCredentials credentials;

    private ElasticsearchIndexManager(
            String url, RestClient client, ElasticsearchCredentials credentials) {
        this.url = url;
        this.client = client;
        this.credentials = credentials;
    }

    /** A manager for the server at {@code url}; nothing is sent until a method is called. */
    public static ElasticsearchIndexManager create(String url, Duration timeout) {
        return create(url, timeout, System.getenv());
    }

    /** As {@link #create(String, Duration)}, with the variables of {@code environment}. */
    public static ElasticsearchIndexManager create(
            String url, Duration timeout, Map<String, String> environment) {
        RestClient client =
                ElasticsearchRestClients.create(
                        url,
                        environment,
                        timeout,
                        Duration.ofMillis(Math.max(timeout.toMillis(), 30_000)));
        return new ElasticsearchIndexManager(
                url, client, ElasticsearchCredentials.of(url, environment));
    }

    /**
     * The version of the node answering, read in a way every distribution supports ({@code GET /}
     * is missing from some). Fails with a message naming the URL when the server cannot be reached.
     */
    public String serverVersion() {
        return server().version();
    }

    /**
     * What the server is, Elasticsearch or OpenSearch and its version; fails with a message naming
     * the URL when the server cannot be reached or refuses the request.
     */
    public SearchServerInfo server() {
        try {
            return SearchServerInfo.read(client);
        } catch (IOException e) {
            throw failed("read the server version", e);
        }
    }

    /**
     * Creates {@code index} from {@code definition} unless an index or alias of that name exists.
     *
     * @return whether this call created it
     */
    public boolean createIndexIfAbsent(String index, IndexDefinition definition) {
        if (exists(index)) {
            LOG.info("Index {} exists; leaving its mapping as it is.", index);
            return false;
        }
        Request create = new Request("PUT", "/" + index);
        create.setEntity(new NStringEntity(definition.body(), ContentType.APPLICATION_JSON));
        try {
            client.performRequest(create);
            LOG.info("Created index {} from {}.", index, definition.source());
            return true;
        } catch (ResponseException e) {
            String reason = body(e.getResponse().getEntity());
            if (reason.contains("resource_already_exists_exception")) {
                return false; // another job or launcher created it at the same moment
            }
            throw new ElasticsearchAccessException(
                    "Cannot create index "
                            + index
                            + " from "
                            + definition.source()
                            + " at "
                            + ElasticsearchUrls.redact(url)
                            + ": "
                            + reason,
                    e);
        } catch (IOException e) {
            throw failed("create index " + index, e);
        }
    }

    /** Whether an index or alias named {@code index} exists. */
    public boolean exists(String index) {
        try {
            Response response = client.performRequest(new Request("HEAD", "/" + index));
            return response.getStatusLine().getStatusCode() == 200;
        } catch (IOException e) {
            if (e instanceof ResponseException refused
                    && refused.getResponse().getStatusLine().getStatusCode() == 404) {
                return false;
            }
            throw failed("check index " + index, e);
        }
    }

    /** Makes every write so far visible to search. */
    public void refresh(String index) {
        send(new Request("POST", "/" + index + "/_refresh"), "refresh " + index);
    }

    /** The number of documents searchable in {@code index}. */
    public long count(String index) {
        return send(new Request("GET", "/" + index + "/_count"), "count " + index)
                .path("count")
                .asLong();
    }

    private JsonNode send(Request request, String what) {
        try {
            Response response = client.performRequest(request);
            return JSON.readTree(body(response.getEntity()));
        } catch (IOException e) {
            throw failed(what, e);
        }
    }

    /**
     * The server refused the request ({@link ResponseException}: its refusal, and what to check of
     * the credentials) or could not be reached (the error, and what to check of TLS).
     */
    private ElasticsearchAccessException failed(String what, IOException e) {
        String server = ElasticsearchUrls.redact(url);
        String message =
                e instanceof ResponseException refused
                        ? "Elasticsearch at "
                                + server
                                + " refused to "
                                + what
                                + ": "
                                + refusal(refused)
                                + credentials.hint(refused)
                        : "Cannot reach Elasticsearch at "
                                + server
                                + " to "
                                + what
                                + ": "
                                + (e.getMessage() == null
                                        ? e.getClass().getSimpleName()
                                        : e.getMessage())
                                + ElasticsearchTls.hint(e);
        return new ElasticsearchAccessException(message, e);
    }

    /**
     * One line for a refused request: the status and, where the server sent its usual error body,
     * its type and reason ({@code HTTP 401: security_exception: unable to authenticate user ...}),
     * else the start of the body.
     */
    static String refusal(ResponseException e) {
        String status = "HTTP " + e.getResponse().getStatusLine().getStatusCode();
        String body = body(e.getResponse().getEntity());
        try {
            JsonNode error = body.isEmpty() ? null : JSON.readTree(body).path("error");
            if (error != null && error.isObject()) {
                return status
                        + ": "
                        + error.path("type").asText()
                        + ": "
                        + error.path("reason").asText();
            }
            if (error != null && error.isTextual()) {
                return status + ": " + error.asText();
            }
        } catch (IOException notJson) {
            // reported as it is below
        }
        String line = body.replaceAll("\\s+", " ").trim();
        return line.isEmpty()
                ? status + " " + e.getResponse().getStatusLine().getReasonPhrase()
                : status + ": " + (line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }

    private static String body(HttpEntity entity) {
        try {
            return entity == null ? "" : EntityUtils.toString(entity);
        } catch (IOException e) {
            return "(unreadable response: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
