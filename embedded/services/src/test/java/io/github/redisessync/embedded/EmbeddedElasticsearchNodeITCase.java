package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real forked Elasticsearch nodes. */
class EmbeddedElasticsearchNodeITCase {

    @Test
    void indexesAndReturnsADocumentAndStopsCleanly() throws Exception {
        EmbeddedElasticsearchNode es = EmbeddedElasticsearchNode.start();
        try {
            ElasticsearchHttp http = new ElasticsearchHttp(URI.create(es.url()));
            assertThat(es.version()).isEqualTo("7.10.2");
            assertThat(es.logFile()).exists();

            ElasticsearchHttp.Response indexed =
                    http.send("PUT", "/books/_doc/1?refresh=true", "{\"title\":\"Dune\"}");
            ElasticsearchHttp.Response fetched = http.send("GET", "/books/_doc/1", null);

            assertThat(indexed.status()).isEqualTo(201);
            assertThat(fetched.body()).contains("\"title\":\"Dune\"");
            // Official clients look at these before they agree to talk to a node.
            assertThat(http.send("GET", "/", null).body())
                    .contains("\"build_flavor\" : \"default\"", "\"build_type\" : \"tar\"");
        } finally {
            es.close();
        }
        es.close();

        assertThat(es.process().isAlive()).isFalse();
        assertThat(es.directory()).doesNotExist();
    }

    @Test
    void twoNodesRunSideBySide() throws IOException {
        try (EmbeddedElasticsearchNode first = EmbeddedElasticsearchNode.start();
                EmbeddedElasticsearchNode second = EmbeddedElasticsearchNode.start()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(new ElasticsearchHttp(URI.create(first.url())).isYellowOrGreen()).isTrue();
            assertThat(new ElasticsearchHttp(URI.create(second.url())).version())
                    .isEqualTo("7.10.2");
        }
    }

    @Test
    void theNodeStopsWhenItsParentStopsWatching() throws Exception {
        try (EmbeddedElasticsearchNode es = EmbeddedElasticsearchNode.start()) {
            // What happens to the pipe when this JVM is killed with SIGKILL.
            es.process().getOutputStream().close();

            assertThat(es.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(es.process().exitValue()).isZero();
        }
    }

    @Test
    void aNodeThatCannotStartReportsTheLastLinesOfItsLog() {
        assertThatThrownBy(() -> EmbeddedElasticsearchNode.builder().heap("1m").start())
                .isInstanceOf(EmbeddedServerException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("heap");
    }
}
