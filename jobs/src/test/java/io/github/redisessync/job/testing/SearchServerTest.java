package io.github.redisessync.job.testing;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.embedded.SearchServerKind;
import io.github.redisessync.testing.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A server of one kind and version, from the official distribution, for the test class that extends
 * this: the job's sink suite ({@code job.sink.SearchServerSinkITCase}) and the tools' ({@code
 * tools.cli.SearchServerToolsITCase}), a subclass of each per server. Both subclasses of a server
 * run in the tools module's test JVM, and {@link TestServices#searchServer} starts each server once
 * per JVM: one start per server for both suites (a start is 40 to 100 s here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SearchServerTest {

    private final SearchServerInfo server;
    private String url;

    protected SearchServerTest(SearchServerInfo.Kind kind, String version) {
        this.server = new SearchServerInfo(kind, version);
    }

    @BeforeAll
    void startServer() {
        url =
                TestServices.searchServer(
                                server.kind() == SearchServerInfo.Kind.OPENSEARCH
                                        ? SearchServerKind.OPENSEARCH
                                        : SearchServerKind.ELASTICSEARCH,
                                server.version())
                        .url();
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
