package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every search server the sink is tested against besides the default Elasticsearch 8, from the
 * official distributions the build resolves: each starts, says what it is, takes a versioned bulk
 * write the way the sink sends it, and stops. One node at a time, so that a 2-core machine is not
 * running three servers at once.
 */
class SearchServerDistributionsITCase {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ELASTICSEARCH, 9.2.4", "OPENSEARCH, 2.19.1", "OPENSEARCH, 3.2.0"})
    // Start-up alone is under a minute here, but several JVMs may share the machine's two cores.
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void startsReportsItsVersionTakesAnExternallyVersionedBulkWriteAndStops(
            SearchServerKind kind, String version) throws Exception {
        ElasticsearchDistributionNode node = ElasticsearchDistributionNode.start(kind, version);
        try {
            ElasticsearchHttp http = new ElasticsearchHttp(URI.create(node.url()));

            assertThat(node.kind()).isEqualTo(kind);
            assertThat(node.version()).isEqualTo(version);
            assertThat(http.version()).isEqualTo(version);
            assertThat(node.logFile()).isRegularFile();
            if (kind == SearchServerKind.OPENSEARCH) {
                assertThat(http.send("GET", "/", null).body())
                        .containsPattern("\"distribution\"\\s*:\\s*\"opensearch\"");
            }

            ElasticsearchHttp.Response written = bulkIndex(http, 42, "Dune");
            ElasticsearchHttp.Response older = bulkIndex(http, 41, "Dune Messiah");
            ElasticsearchHttp.Response fetched = http.send("GET", "/books/_doc/1", null);

            assertThat(written.status()).isEqualTo(200);
            assertThat(written.body()).containsPattern("\"errors\"\\s*:\\s*false");
            // external_gte refuses an older version per item; the bulk itself still answers 200.
            assertThat(older.body())
                    .containsPattern("\"errors\"\\s*:\\s*true")
                    .containsPattern("\"status\"\\s*:\\s*409");
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.body())
                    .containsPattern("\"_version\"\\s*:\\s*42")
                    .contains("\"title\":\"Dune\"");
        } finally {
            node.close();
        }
        assertThat(node.process().isAlive()).isFalse();
        assertThat(node.directory()).doesNotExist();
    }

    /** One index action, as NDJSON, versioned the way the sink versions every write. */
    private static ElasticsearchHttp.Response bulkIndex(
            ElasticsearchHttp http, long version, String title) throws Exception {
        String body =
                "{\"index\":{\"_index\":\"books\",\"_id\":\"1\",\"version\":"
                        + version
                        + ",\"version_type\":\"external_gte\"}}\n"
                        + "{\"title\":\""
                        + title
                        + "\"}\n";
        return http.send("POST", "/_bulk?refresh=true", body, "application/x-ndjson");
    }
}
