package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.testing.TestServices;
import java.time.Duration;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/**
 * An index the job creates without a mapping file, on the suite's Elasticsearch: the strings a
 * Redis hash holds ({@code "42"}, {@code "2024-05-01"}) are mapped as numbers and dates, so
 * aggregations over them work.
 */
class ElasticsearchIndexManagerITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void numericStringsInADynamicIndexAreNumbersAnAvgCanAggregate() throws Exception {
        String url = TestServices.elasticsearch().url();
        String index = TestServices.uniqueName("dynamic-types");
        try (ElasticsearchIndexManager indexes =
                        ElasticsearchIndexManager.create(url, Duration.ofSeconds(30));
                RestClient client =
                        ElasticsearchRestClients.create(
                                url, Duration.ofSeconds(5), Duration.ofSeconds(60))) {
            assertThat(indexes.createIndexIfAbsent(index, IndexDefinition.dynamic())).isTrue();
            try {
                String[][] users = {
                    {"42", "2024-05-01"}, {"30", "1990-02-03"}, {"18", "2006-11-30"}
                };
                for (int i = 0; i < users.length; i++) {
                    Request put = new Request("PUT", "/" + index + "/_doc/" + i);
                    put.setJsonEntity(
                            "{\"name\":\"user "
                                    + i
                                    + "\",\"age\":\""
                                    + users[i][0]
                                    + "\",\"score\":\"4.5\",\"born\":\""
                                    + users[i][1]
                                    + "\"}");
                    client.performRequest(put);
                }
                indexes.refresh(index);

                JsonNode properties =
                        send(client, new Request("GET", "/" + index + "/_mapping"))
                                .path(index)
                                .path("mappings")
                                .path("properties");
                assertThat(properties.path("age").path("type").asText()).isEqualTo("long");
                assertThat(properties.path("score").path("type").asText()).isEqualTo("float");
                assertThat(properties.path("born").path("type").asText()).isEqualTo("date");
                assertThat(properties.path("name").path("type").asText()).isEqualTo("text");

                Request search = new Request("POST", "/" + index + "/_search");
                search.setJsonEntity(
                        "{\"size\":0,\"aggs\":{\"age\":{\"avg\":{\"field\":\"age\"}},"
                                + "\"born\":{\"max\":{\"field\":\"born\"}}}}");
                JsonNode aggregations = send(client, search).path("aggregations");
                assertThat(aggregations.path("age").path("value").asDouble()).isEqualTo(30.0);
                assertThat(aggregations.path("born").path("value_as_string").asText())
                        .startsWith("2024-05-01");
            } finally {
                client.performRequest(new Request("DELETE", "/" + index));
            }
        }
    }

    private static JsonNode send(RestClient client, Request request) throws Exception {
        return JSON.readTree(EntityUtils.toString(client.performRequest(request).getEntity()));
    }
}
