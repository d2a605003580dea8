package io.github.redisessync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.embedded.SearchServerKind;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The servers every ITCase gets: real ones, reached the way the other modules reach them. */
class TestServicesITCase {

    @Test
    void redisAnswersSetAndGetThroughLettuceAndReportsItsVersion() {
        RedisEndpoint redis = TestServices.redis();
        String key = TestServices.uniqueName("greeting") + ":1";

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set(key, "hello");
            assertThat(connection.sync().get(key)).isEqualTo("hello");
        } finally {
            client.shutdown();
        }
        assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(redis.provider()).isNotBlank();
    }

    @Test
    void elasticsearchIndexesAndReturnsADocumentAndReportsItsVersion() throws IOException {
        ElasticsearchEndpoint es = TestServices.elasticsearch();
        String index = TestServices.uniqueName("books");

        ElasticsearchHttp.Response created =
                es.http().send("PUT", "/" + index + "/_doc/1", "{\"title\":\"Dune\"}");
        ElasticsearchHttp.Response fetched = es.http().send("GET", "/" + index + "/_doc/1", null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(fetched.body()).contains("\"title\":\"Dune\"");
        assertThat(es.count(index)).isEqualTo(1);
        assertThat(es.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void everyCallReturnsTheSameServers() {
        assertThat(TestServices.redis()).isSameAs(TestServices.redis());
        assertThat(TestServices.elasticsearch()).isSameAs(TestServices.elasticsearch());
    }

    @Test
    void aRedisUrlOnAClosedPortFailsNamingTheUrl() throws IOException {
        String url = "redis://127.0.0.1:" + closedPort();

        assertThatThrownBy(() -> ExternalServers.redis(url))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("REDIS_URL=" + url + " does not answer");
    }

    @Test
    void anElasticsearchUrlOnAClosedPortFailsNamingTheUrl() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();

        assertThatThrownBy(() -> ExternalServers.elasticsearch(url))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ES_URL=" + url + " does not answer");
    }

    @Test
    void anExternalRedisUrlThatAnswersIsUsedAsIs() {
        RedisEndpoint running = TestServices.redis();

        RedisEndpoint external = ExternalServers.redis(running.uri());

        assertThat(external.version()).isEqualTo(running.version());
        assertThat(external.provider()).isEqualTo("external, REDIS_URL");
    }

    @Test
    void aSearchServerOfAGivenKindAndVersionIsStartedOnceAndAnswers() throws IOException {
        // OpenSearch 2 starts fastest of the distributions (about 16 s here); the others are
        // covered by SearchServerDistributionsITCase in embedded/services.
        ElasticsearchEndpoint openSearch =
                TestServices.searchServer(SearchServerKind.OPENSEARCH, "2.19.1");
        String index = TestServices.uniqueName("books");

        ElasticsearchHttp.Response created =
                openSearch.http().send("PUT", "/" + index + "/_doc/1", "{\"title\":\"Dune\"}");

        assertThat(TestServices.searchServer(SearchServerKind.OPENSEARCH, "2.19.1"))
                .isSameAs(openSearch);
        assertThat(openSearch.version()).isEqualTo("2.19.1");
        assertThat(openSearch.toString()).startsWith("OpenSearch 2.19.1 at http://127.0.0.1:");
        assertThat(created.status()).isEqualTo(201);
        assertThat(openSearch.count(index)).isEqualTo(1);
        assertThat(openSearch.url()).isNotEqualTo(TestServices.elasticsearch().url());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
