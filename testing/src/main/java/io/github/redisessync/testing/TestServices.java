package io.github.redisessync.testing;

import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.EmbeddedElasticsearchNode;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.embedded.SearchServerKind;
import io.github.redisessync.testing.ProviderChoice.Mode;
import io.github.redisessync.testing.ProviderChoice.Provider;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Redis and Elasticsearch servers every ITCase talks to: started on first use, once per
 * JVM, and stopped when the test run ends.
 *
 * <pre>{@code
 * RedisEndpoint redis = TestServices.redis();
 * ElasticsearchEndpoint es = TestServices.elasticsearch();
 * String index = TestServices.uniqueName("orders");
 * ElasticsearchEndpoint openSearch = TestServices.searchServer(SearchServerKind.OPENSEARCH, "3.2.0");
 * }</pre>
 *
 * <p>Where the servers come from is decided by {@link ProviderChoice}: {@code REDIS_URL} / {@code
 * ES_URL}, else Docker, else the embedded servers; {@code REDIS_ES_SYNC_TEST_SERVERS=
 * embedded|docker} forces one, and {@code REDIS_ES_SYNC_TEST_ES=8.19.21} runs Elasticsearch from
 * that official distribution instead ({@link ElasticsearchDistributionNode}). A server that cannot
 * be reached fails the test that asked for it, and every later one with the same cause: no suite is
 * skipped.
 *
 * <p>The rule for every test: touch only data it created, because {@code REDIS_URL} / {@code
 * ES_URL} may be a user's own servers. Keys go under a {@link #uniqueName} prefix and indexes get a
 * {@link #uniqueName} of their own; a test deletes only those. No {@code FLUSHDB}/{@code FLUSHALL},
 * no deletes of index patterns or wildcards, no {@code CLIENT KILL} of a whole type: a test that
 * cuts a job's pub/sub connection finds it by its client name ({@code redis-es-sync-tail-<job id>})
 * and kills that id. {@code CONFIG SET notify-keyspace-events} may only add flags. Data with fixed
 * key names goes to a database the test claimed empty. On the servers the run starts itself none of
 * this changes anything.
 */
public final class TestServices {

    private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);

    private static final Object REDIS_LOCK = new Object();
    private static final Object REDIS_CLUSTER_LOCK = new Object();
    private static final Object ES_LOCK = new Object();
    private static final Object DOCKER_LOCK = new Object();
    private static final Object SEARCH_SERVERS_LOCK = new Object();

    /** What was started, stopped in reverse order; guarded by itself. */
    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

    private static final String RUN_TOKEN =
            Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private static final AtomicLong NAMES = new AtomicLong();

    private static RedisEndpoint redis;
    private static RuntimeException redisFailure;
    private static RedisClusterEndpoint redisCluster;
    private static RuntimeException redisClusterFailure;
    private static ElasticsearchEndpoint elasticsearch;
    private static RuntimeException elasticsearchFailure;

    /** By {@code kind + " " + version}; both guarded by SEARCH_SERVERS_LOCK. */
    private static final Map<String, ElasticsearchEndpoint> searchServers = new HashMap<>();

    private static final Map<String, RuntimeException> searchServerFailures = new HashMap<>();
    private static Boolean dockerAvailable;
    private static boolean shutdownHookInstalled;

    private TestServices() {}

    /** The Redis server for this test run, started on first use. */
    public static RedisEndpoint redis() {
        synchronized (REDIS_LOCK) {
            if (redisFailure != null) {
                throw new IllegalStateException(
                        "Redis could not be provided earlier in this run.", redisFailure);
            }
            if (redis == null) {
                try {
                    redis = startRedis();
                } catch (RuntimeException e) {
                    redisFailure = e;
                    throw e;
                }
                LOG.info("{}", redis);
            }
            return redis;
        }
    }

    /**
     * The Redis Cluster for this test run (three primaries, three replicas; see {@link
     * LocalRedisCluster}), started on first use in 3 to 7 s. Always nodes this JVM starts from the
     * {@code redis-server} the embedded Redis runs, whatever {@code REDIS_URL} or Docker say, with
     * {@code redis-cli} from next to it or the PATH. A cluster that could not start fails every
     * later request with the same cause.
     */
    public static RedisClusterEndpoint redisCluster() {
        synchronized (REDIS_CLUSTER_LOCK) {
            if (redisClusterFailure != null) {
                throw new IllegalStateException(
                        "The Redis Cluster could not be started earlier in this run.",
                        redisClusterFailure);
            }
            if (redisCluster == null) {
                try {
                    redisCluster = register(LocalRedisCluster.start()).endpoint();
                } catch (RuntimeException e) {
                    redisClusterFailure = e;
                    throw e;
                }
            }
            return redisCluster;
        }
    }

    /** The Elasticsearch server for this test run, started on first use. */
    public static ElasticsearchEndpoint elasticsearch() {
        synchronized (ES_LOCK) {
            if (elasticsearchFailure != null) {
                throw new IllegalStateException(
                        "Elasticsearch could not be provided earlier in this run.",
                        elasticsearchFailure);
            }
            if (elasticsearch == null) {
                try {
                    elasticsearch = startElasticsearch();
                } catch (RuntimeException e) {
                    elasticsearchFailure = e;
                    throw e;
                }
                LOG.info("{}", elasticsearch);
            }
            return elasticsearch;
        }
    }

    /**
     * A node of {@code kind} and {@code version} from its official distribution (those of
     * embedded/distributions: Elasticsearch 8.19.21 and 9.2.4, OpenSearch 2.19.1 and 3.2.0), for
     * tests that must run against that server: started on first use, once per JVM for each kind and
     * version, and stopped when the test run ends. Always a node this JVM starts, whatever {@code
     * ES_URL} or Docker say, because the version is the point; security off, 512m of heap. A node
     * that could not start fails every later request for it with the same cause.
     *
     * <p>Starting takes 15 to 45 s, under a lock that other requests for a search server wait on:
     * on a 2-core machine, starting one node at a time is the faster way anyway.
     */
    public static ElasticsearchEndpoint searchServer(SearchServerKind kind, String version) {
        String key = kind + " " + version;
        synchronized (SEARCH_SERVERS_LOCK) {
            RuntimeException failure = searchServerFailures.get(key);
            if (failure != null) {
                throw new IllegalStateException(
                        kind.displayName()
                                + " "
                                + version
                                + " could not be started earlier in this run.",
                        failure);
            }
            ElasticsearchEndpoint endpoint = searchServers.get(key);
            if (endpoint == null) {
                try {
                    ElasticsearchDistributionNode node =
                            register(ElasticsearchDistributionNode.start(kind, version));
                    endpoint =
                            new ElasticsearchEndpoint(
                                    kind.displayName(),
                                    node.url(),
                                    node.version(),
                                    "embedded distribution, log " + node.logFile());
                } catch (RuntimeException e) {
                    searchServerFailures.put(key, e);
                    throw e;
                }
                searchServers.put(key, endpoint);
                LOG.info("{}", endpoint);
            }
            return endpoint;
        }
    }

    /**
     * A name no other test in this run (nor a concurrent run against the same servers) uses, valid
     * as an Elasticsearch index and as a Redis key prefix: {@code orders-k3x9-7}.
     */
    public static String uniqueName(String prefix) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException(
                    "prefix must start with a letter or digit and hold only letters, digits, '_'"
                            + " and '-', was "
                            + prefix
                            + ".");
        }
        return prefix.toLowerCase(Locale.ROOT) + "-" + RUN_TOKEN + "-" + NAMES.incrementAndGet();
    }

    /** Stops whatever this JVM started; the next request starts afresh. Never throws. */
    static void stopAll() {
        synchronized (REDIS_LOCK) {
            redis = null;
            redisFailure = null;
        }
        synchronized (REDIS_CLUSTER_LOCK) {
            redisCluster = null;
            redisClusterFailure = null;
        }
        synchronized (ES_LOCK) {
            elasticsearch = null;
            elasticsearchFailure = null;
        }
        synchronized (SEARCH_SERVERS_LOCK) {
            searchServers.clear();
            searchServerFailures.clear();
        }
        while (true) {
            AutoCloseable next;
            synchronized (STARTED) {
                next = STARTED.pollLast();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("Could not stop a test server", e);
            }
        }
    }

    private static RedisEndpoint startRedis() {
        String url = System.getenv(ProviderChoice.REDIS_URL);
        switch (ProviderChoice.choose(url, mode(), TestServices::dockerAvailable)) {
            case EXTERNAL:
                return ExternalServers.redis(url);
            case DOCKER:
                return DockerServers.redis(TestServices::register);
            default:
                EmbeddedRedisServer server = register(EmbeddedRedisServer.start());
                return new RedisEndpoint(
                        server.uri(),
                        server.host(),
                        server.port(),
                        server.version(),
                        "embedded, " + server.executable());
        }
    }

    private static ElasticsearchEndpoint startElasticsearch() {
        String url = System.getenv(ProviderChoice.ES_URL);
        String distribution = distributionVersion();
        if ((url == null || url.isBlank()) && distribution != null) {
            ElasticsearchDistributionNode node =
                    register(ElasticsearchDistributionNode.start(distribution));
            return new ElasticsearchEndpoint(
                    node.url(),
                    node.version(),
                    "embedded distribution, " + ProviderChoice.ES_VERSION_ENV + "=" + distribution);
        }
        Provider provider = ProviderChoice.choose(url, mode(), TestServices::dockerAvailable);
        switch (provider) {
            case EXTERNAL:
                return ExternalServers.elasticsearch(url);
            case DOCKER:
                return DockerServers.elasticsearch(TestServices::register);
            default:
                EmbeddedElasticsearchNode node = register(EmbeddedElasticsearchNode.start());
                return new ElasticsearchEndpoint(
                        node.url(), node.version(), "embedded cluster-runner node");
        }
    }

    /**
     * A private Elasticsearch node for a test that stops and starts it: the distribution chosen
     * with {@code REDIS_ES_SYNC_TEST_ES} if set, else the embedded cluster-runner node.
     */
    public static PrivateElasticsearch privateElasticsearch() {
        return PrivateElasticsearch.start(distributionVersion());
    }

    /**
     * A node of its own of {@code kind} and {@code version}, whatever the suite's server is, for a
     * test that stops and starts it; the caller closes it.
     */
    public static PrivateElasticsearch privateSearchServer(SearchServerKind kind, String version) {
        return PrivateElasticsearch.start(kind, version);
    }

    /** The version {@code REDIS_ES_SYNC_TEST_ES} (or its system property) names, or null. */
    static String distributionVersion() {
        return ProviderChoice.distributionVersion(System.getenv(), System.getProperties());
    }

    private static Mode mode() {
        return ProviderChoice.mode(System.getenv(), System.getProperties());
    }

    private static boolean dockerAvailable() {
        synchronized (DOCKER_LOCK) {
            if (dockerAvailable == null) {
                Map<String, String> environment = System.getenv();
                Path home = Path.of(System.getProperty("user.home"));
                dockerAvailable = DockerServers.isAvailable(environment, home);
                LOG.info(
                        dockerAvailable
                                ? "Docker is available: test servers run in containers"
                                        + " (set {}=embedded to run them as local processes)"
                                : "No Docker daemon found: test servers run as local processes"
                                        + " (set {}=docker to require Docker)",
                        ProviderChoice.MODE_ENV);
            }
            return dockerAvailable;
        }
    }

    private static <T extends AutoCloseable> T register(T started) {
        synchronized (STARTED) {
            STARTED.addLast(started);
            if (!shutdownHookInstalled) {
                // A backstop for runs that end without closing the launcher session.
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(TestServices::stopAll, "test-services-shutdown"));
                shutdownHookInstalled = true;
            }
        }
        return started;
    }

    /** A URL for logs and messages: any password replaced by {@code ****}. */
    static String withoutPassword(String url) {
        return url == null ? null : url.replaceFirst("(://[^:/@]*):[^@/]*@", "$1:****@");
    }
}
