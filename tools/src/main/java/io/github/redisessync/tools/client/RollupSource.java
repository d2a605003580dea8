package io.github.redisessync.tools.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.job.rollup.RollupMetric;
import io.github.redisessync.job.rollup.RollupSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Reads a rollup's rows from Elasticsearch: the rollup documents the job wrote, or the same
 * aggregation computed live over the synced documents (a composite aggregation of a {@code
 * date_histogram} on the time field and a {@code terms} source per group field, with {@code
 * value_count}, {@code sum}, {@code avg}, {@code min}, {@code max} under it; terms only for a
 * running total), both paged so that no size limit cuts them. Both indexes are refreshed first, so
 * that every acknowledged write is counted.
 */
public final class RollupSource {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int PAGE = 1000;

    private final RestClient client;

    public RollupSource(RestClient client) {
        this.client = client;
    }

    /** The rollup documents of {@code spec} in its target index; none when it does not exist. */
    public List<RollupRow> written(RollupSpec spec) throws IOException {
        List<RollupRow> rows = new ArrayList<>();
        // Writes acknowledged but not yet refreshed would be missing (local just ended, say).
        if (send("POST", "/" + spec.targetIndex() + "/_refresh", null) == null) {
            return rows;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("size", PAGE);
        body.putObject("query").putObject("term").put("rollup", spec.name());
        body.putArray("sort").add("_doc");
        JsonNode page = send("POST", "/" + spec.targetIndex() + "/_search?scroll=1m", body);
        if (page == null) {
            return rows;
        }
        String scroll = page.path("_scroll_id").asText();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    rows.add(fromDocument(spec, hit.path("_source")));
                }
                ObjectNode next = JsonNodeFactory.instance.objectNode();
                next.put("scroll", "1m").put("scroll_id", scroll);
                page = send("POST", "/_search/scroll", next);
                scroll = page.path("_scroll_id").asText(scroll);
            }
        } finally {
            ObjectNode clear = JsonNodeFactory.instance.objectNode();
            clear.putArray("scroll_id").add(scroll);
            send("DELETE", "/_search/scroll", clear);
        }
        return rows;
    }

    /** The aggregation over {@code sourceIndex}, as the rollup's documents would hold it. */
    public List<RollupRow> aggregated(RollupSpec spec, String sourceIndex) throws IOException {
        send("POST", "/" + sourceIndex + "/_refresh", null);
        ObjectNode composite = JsonNodeFactory.instance.objectNode();
        composite.put("size", PAGE);
        ArrayNode sources = composite.putArray("sources");
        if (spec.isWindowed()) {
            ObjectNode histogram =
                    sources.addObject().putObject("window").putObject("date_histogram");
            histogram.put("field", spec.timeField());
            histogram.put("fixed_interval", spec.windowMillis() + "ms");
        }
        List<String> groupBy = spec.groupBy();
        for (int i = 0; i < groupBy.size(); i++) {
            sources.addObject().putObject("g" + i).putObject("terms").put("field", groupBy.get(i));
        }
        ObjectNode metrics = JsonNodeFactory.instance.objectNode();
        for (RollupMetric metric : spec.metrics()) {
            if (metric.field() != null) {
                String kind =
                        metric.kind() == RollupMetric.Kind.COUNT
                                ? "value_count"
                                : metric.kind().name().toLowerCase(Locale.ROOT);
                metrics.putObject(metric.outputName()).putObject(kind).put("field", metric.field());
            }
        }
        List<RollupRow> rows = new ArrayList<>();
        JsonNode after = null;
        while (true) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("size", 0);
            ObjectNode agg = body.putObject("aggs").putObject("rows");
            ObjectNode paged = agg.putObject("composite").setAll(composite.deepCopy());
            if (after != null) {
                paged.set("after", after);
            }
            if (metrics.size() > 0) {
                agg.set("aggs", metrics);
            }
            JsonNode response = send("POST", "/" + sourceIndex + "/_search", body);
            if (response == null) {
                return rows;
            }
            JsonNode buckets = response.path("aggregations").path("rows").path("buckets");
            for (JsonNode bucket : buckets) {
                rows.add(fromBucket(spec, bucket));
            }
            after = response.path("aggregations").path("rows").get("after_key");
            if (buckets.size() < PAGE || after == null) {
                return rows;
            }
        }
    }

    private static RollupRow fromDocument(RollupSpec spec, JsonNode document) {
        long windowStart =
                spec.isWindowed()
                        ? Instant.parse(document.path("window_start").asText()).toEpochMilli()
                        : 0;
        List<String> groups = new ArrayList<>();
        for (String field : spec.groupBy()) {
            groups.add(document.path(field).asText());
        }
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("count", number(document.get("count")));
        for (RollupMetric metric : spec.metrics()) {
            if (metric.field() != null) {
                values.put(metric.outputName(), number(document.get(metric.outputName())));
            }
        }
        return new RollupRow(windowStart, groups, values);
    }

    private static RollupRow fromBucket(RollupSpec spec, JsonNode bucket) {
        JsonNode key = bucket.path("key");
        long windowStart = spec.isWindowed() ? key.path("window").asLong() : 0;
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < spec.groupBy().size(); i++) {
            groups.add(key.path("g" + i).asText());
        }
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("count", number(bucket.get("doc_count")));
        for (RollupMetric metric : spec.metrics()) {
            if (metric.field() != null) {
                values.put(
                        metric.outputName(), number(bucket.path(metric.outputName()).get("value")));
            }
        }
        return new RollupRow(windowStart, groups, values);
    }

    private static BigDecimal number(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.decimalValue();
    }

    /** The response, or null when the index does not exist. */
    private JsonNode send(String method, String path, JsonNode body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(JSON.writeValueAsString(body));
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return null;
            }
            throw new IOException(method + " " + path + " failed: " + e.getMessage(), e);
        }
        return JSON.readTree(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
    }
}
