package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real Elasticsearch nodes from the official distribution the build resolved (8.19.21): started as
 * an unprivileged user on a Java 21+ JDK, with and without security, and stopped with their parent.
 */
class ElasticsearchDistributionNodeITCase {

    @Test
    void indexesAndReturnsADocumentAndStopsWhenItsParentStopsWatching() throws Exception {
        ElasticsearchDistributionNode es = ElasticsearchDistributionNode.builder().start();
        try {
            ElasticsearchHttp http = new ElasticsearchHttp(URI.create(es.url()));
            assertThat(es.version()).isEqualTo(ElasticsearchDistributionNode.defaultVersion());

            ElasticsearchHttp.Response indexed =
                    http.send("PUT", "/books/_doc/1?refresh=true", "{\"title\":\"Dune\"}");
            ElasticsearchHttp.Response fetched = http.send("GET", "/books/_doc/1", null);

            assertThat(indexed.status()).isEqualTo(201);
            assertThat(fetched.body()).contains("\"title\":\"Dune\"");

            // What happens to the pipe when this JVM is killed with SIGKILL.
            es.process().getOutputStream().close();
            assertThat(es.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(es.process().descendants().filter(ProcessHandle::isAlive)).isEmpty();
        } finally {
            es.close();
        }
        assertThat(es.directory()).doesNotExist();
    }

    @Test
    void basicAuthRefusesAnonymousRequestsAndAcceptsTheUser() throws Exception {
        try (ElasticsearchDistributionNode es =
                ElasticsearchDistributionNode.builder()
                        .basicAuth("sync-user", "s3cret pass+word")
                        .start()) {
            ElasticsearchHttp anonymous = new ElasticsearchHttp(URI.create(es.url()));
            ElasticsearchHttp authenticated =
                    new ElasticsearchHttp(URI.create(es.urlWithCredentials()));

            assertThat(anonymous.send("GET", "/_cluster/health", null).status()).isEqualTo(401);
            assertThat(authenticated.send("GET", "/_cluster/health", null).status()).isEqualTo(200);
        }
    }
}
