package io.github.redisessync.job;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads documents back from Elasticsearch the way a user would: refresh, then search. */
public final class SearchClient {
    /** Numbers keep their exact text (3.50 stays 3.50) so they compare with Redis's strings. */
    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private final String url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SearchClient(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Every document of {@code index} by id (refreshes first; scrolls, so any number of them). */
    public Map<String, JsonNode> allDocuments(String index)
            throws IOException, InterruptedException {
        send("POST", "/" + index + "/_refresh", null);
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        JsonNode page =
                send(
                        "POST",
                        "/" + index + "/_search?scroll=1m",
                        "{\"size\":5000,\"query\":{\"match_all\":{}}}");
        String scrollId = page.path("_scroll_id").asText();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                page.path("hits")
                        .path("hits")
                        .forEach(
                                hit ->
                                        documents.put(
                                                hit.path("_id").asText(), hit.path("_source")));
                page =
                        send(
                                "POST",
                                "/_search/scroll",
                                "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}");
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            send("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + scrollId + "\"}");
        }
        return documents;
    }

    public JsonNode send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                body, StandardCharsets.UTF_8));
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(
                    method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
