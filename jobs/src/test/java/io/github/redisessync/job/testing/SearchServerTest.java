package io.github.redisessync.job.testing;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.SearchServerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A server of one kind and version, started from the official distribution for the test class that
 * extends this: the job's sink suite ({@code job.sink.SearchServerSinkITCase}) and the tools'
 * ({@code tools.cli.SearchServerToolsITCase}), a subclass of each per server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SearchServerTest {

    private final SearchServerInfo server;
    private ElasticsearchDistributionNode node;
    private String url;

    protected SearchServerTest(SearchServerInfo.Kind kind, String version) {
        this.server = new SearchServerInfo(kind, version);
    }

    @BeforeAll
    void startServer() {
        node =
                ElasticsearchDistributionNode.start(
                        server.kind() == SearchServerInfo.Kind.OPENSEARCH
                                ? SearchServerKind.OPENSEARCH
                                : SearchServerKind.ELASTICSEARCH,
                        server.version());
        url = node.url();
    }

    @AfterAll
    void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    /** The server's URL. */
    public String url() {
        return url;
    }

    /** The server's kind and version, as it should tell them. */
    protected SearchServerInfo expected() {
        return server;
    }
}
