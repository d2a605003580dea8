package io.github.redisessync.tools.reindex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.connector.elasticsearch.ElasticsearchAccessException;
import io.github.redisessync.connector.elasticsearch.ElasticsearchRestClients;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The index and alias administration a reindex needs: create with a body, change settings, read
 * what an alias points to, move it in one atomic {@code POST /_aliases}, list and delete indexes.
 *
 * <p>Kept apart from {@code ElasticsearchIndexManager} (the job's start-up checks): these calls are
 * only made by {@code reindex}, on the client side.
 */
public final class ElasticsearchAliases implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final RestClient client;

    public ElasticsearchAliases(String url) {
        this.url = url;
        this.client =
                ElasticsearchRestClients.create(url, Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    /** What a name is in the cluster: nothing, a concrete index, or an alias. */
    public enum Kind {
        ABSENT,
        INDEX,
        ALIAS
    }

    /** Whether {@code name} is free, a concrete index or an alias. */
    public Kind kind(String name) {
        if (status("HEAD", "/_alias/" + name) == 200) {
            return Kind.ALIAS;
        }
        return status("HEAD", "/" + name) == 200 ? Kind.INDEX : Kind.ABSENT;
    }

    /** The indexes {@code alias} points to, sorted; empty when there is no such alias. */
    public Set<String> targets(String alias) {
        Set<String> indexes = new TreeSet<>();
        if (status("HEAD", "/_alias/" + alias) != 200) {
            return indexes;
        }
        send("GET", "/_alias/" + alias, null).fieldNames().forEachRemaining(indexes::add);
        return indexes;
    }

    /** Creates {@code index} with {@code body} ({@code settings}, {@code mappings}). */
    public void createIndex(String index, String body) {
        send("PUT", "/" + index, body);
    }

    /** Changes dynamic settings of {@code index}; a null value resets one to its default. */
    public void updateSettings(String index, ObjectNode settings) {
        ObjectNode body = JSON.createObjectNode();
        body.set("index", settings);
        send("PUT", "/" + index + "/_settings", body.toString());
    }

    /** The setting's value on {@code index} as Elasticsearch reports it, defaults included. */
    public String setting(String index, String key) {
        JsonNode answer =
                send(
                        "GET",
                        "/"
                                + index
                                + "/_settings/"
                                + key
                                + "?include_defaults=true&flat_settings=true",
                        null);
        JsonNode entry = answer.path(index);
        JsonNode value = entry.path("settings").path(key);
        return value.isMissingNode()
                ? entry.path("defaults").path(key).asText(null)
                : value.asText();
    }

    /**
     * In one atomic {@code POST /_aliases}: removes {@code alias} from each of {@code fromAliased},
     * deletes the concrete index {@code concreteToRemove} (its name becomes the alias; null when
     * there is none) and adds the alias to {@code to}. A search through the name sees the old
     * indexes or the new one, never neither.
     */
    public void moveAlias(
            String alias, Collection<String> fromAliased, String concreteToRemove, String to) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode actions = body.putArray("actions");
        for (String index : fromAliased) {
            actions.addObject().putObject("remove").put("index", index).put("alias", alias);
        }
        if (concreteToRemove != null) {
            // remove_index in _aliases: Elasticsearch 6.4 and later, 7.10 included.
            actions.addObject().putObject("remove_index").put("index", concreteToRemove);
        }
        actions.addObject().putObject("add").put("index", to).put("alias", alias);
        send("POST", "/_aliases", body.toString());
    }

    /** Names of the indexes matching {@code wildcard}, e.g. {@code users-*}, sorted. */
    public List<String> indexes(String wildcard) {
        JsonNode answer = send("GET", "/" + wildcard + "?filter_path=*.settings.index.uuid", null);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = answer.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(null);
        return names;
    }

    /** Deletes {@code index}; an index already gone is fine. */
    public void deleteIndex(String index) {
        if (status("HEAD", "/" + index) == 200) {
            send("DELETE", "/" + index, null);
        }
    }

    private int status(String method, String path) {
        try {
            return client.performRequest(new Request(method, path)).getStatusLine().getStatusCode();
        } catch (ResponseException e) {
            return e.getResponse().getStatusLine().getStatusCode();
        } catch (IOException e) {
            throw unreachable(method + " " + path, e);
        }
    }

    private JsonNode send(String method, String path, String body) {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        try {
            Response response = client.performRequest(request);
            String text =
                    response.getEntity() == null
                            ? "{}"
                            : EntityUtils.toString(response.getEntity());
            return JSON.readTree(text.isEmpty() ? "{}" : text);
        } catch (ResponseException e) {
            String reason;
            try {
                reason = EntityUtils.toString(e.getResponse().getEntity());
            } catch (IOException unreadable) {
                reason = e.getMessage();
            }
            throw new ElasticsearchAccessException(
                    "Elasticsearch at "
                            + ElasticsearchUrls.redact(url)
                            + " refused "
                            + method
                            + " "
                            + path
                            + ": "
                            + reason,
                    e);
        } catch (IOException e) {
            throw unreachable(method + " " + path, e);
        }
    }

    private ElasticsearchAccessException unreachable(String what, IOException e) {
        return new ElasticsearchAccessException(
                "Cannot reach Elasticsearch at " + ElasticsearchUrls.redact(url) + " for " + what,
                e);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
