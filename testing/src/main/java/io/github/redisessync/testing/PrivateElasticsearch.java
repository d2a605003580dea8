package io.github.redisessync.testing;

import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.EmbeddedElasticsearchNode;
import io.github.redisessync.embedded.SearchServerKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Elasticsearch node of one test's own, which the test may stop and start again on the same port
 * with the same data, as an operator restarting Elasticsearch would.
 *
 * <pre>{@code
 * try (PrivateElasticsearch es = TestServices.privateElasticsearch()) {
 *     es.stop();
 *     es.start();
 * }
 * }</pre>
 */
public final class PrivateElasticsearch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateElasticsearch.class);

    private final String distribution;
    private final Path data;
    private int port;
    private final SearchServerKind kind;
    private AutoCloseable node;
    private ElasticsearchEndpoint endpoint;

    private PrivateElasticsearch(SearchServerKind kind, String distribution, Path data) {
        this.kind = kind;
        this.distribution = distribution;
        this.data = data;
    }

    /** Starts a node: of {@code distribution} (e.g. 8.19.21), or the cluster runner if null. */
    static PrivateElasticsearch start(String distribution) {
        return start(SearchServerKind.ELASTICSEARCH, distribution);
    }

    /** Starts a node of {@code kind} and {@code distribution}, or the cluster runner if null. */
    static PrivateElasticsearch start(SearchServerKind kind, String distribution) {
        Path data;
        try {
            data = Files.createTempDirectory("redis-es-sync-private-es-data-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a data directory.", e);
        }
        PrivateElasticsearch es = new PrivateElasticsearch(kind, distribution, data);
        try {
            es.start();
        } catch (RuntimeException e) {
            es.close();
            throw e;
        }
        return es;
    }

    /** The node as it runs now; its URL stays the same across a stop and start. */
    public ElasticsearchEndpoint endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("The private Elasticsearch node is stopped.");
        }
        return endpoint;
    }

    /** {@code http://127.0.0.1:<port>}; the same before and after a restart. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the node (again), on the port and with the data of the first start. */
    public synchronized void start() {
        if (node != null) {
            throw new IllegalStateException("The private Elasticsearch node already runs.");
        }
        if (distribution != null) {
            ElasticsearchDistributionNode.Builder builder =
                    ElasticsearchDistributionNode.builder(kind)
                            .version(distribution)
                            .dataDirectory(data);
            ElasticsearchDistributionNode started =
                    (port == 0 ? builder : builder.port(port)).start();
            port = started.port();
            node = started;
            endpoint =
                    new ElasticsearchEndpoint(
                            started.url(), started.version(), "private distribution node");
        } else {
            EmbeddedElasticsearchNode.Builder builder =
                    EmbeddedElasticsearchNode.builder().dataDirectory(data);
            EmbeddedElasticsearchNode started = (port == 0 ? builder : builder.port(port)).start();
            port = started.port();
            node = started;
            endpoint =
                    new ElasticsearchEndpoint(
                            started.url(), started.version(), "private cluster-runner node");
        }
        LOG.info("{}", endpoint);
    }

    /** Stops the node and keeps its data; {@link #start()} brings it back. */
    public synchronized void stop() {
        if (node == null) {
            return;
        }
        try {
            node.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the private Elasticsearch node.", e);
        } finally {
            node = null;
            endpoint = null;
        }
    }

    /** Stops the node and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        try {
            deleteRecursively(data);
        } catch (IOException e) {
            LOG.warn("Could not delete {}", data, e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path :
                    (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
