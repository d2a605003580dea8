package io.github.redisessync.testing;

import java.util.List;

/** The Redis Cluster a test run talks to: a seed node to start from, and all of its nodes. */
public final class RedisClusterEndpoint {

    private final String seedUri;
    private final List<String> nodes;
    private final List<String> primaries;
    private final String version;
    private final String provider;

    RedisClusterEndpoint(
            String seedUri,
            List<String> nodes,
            List<String> primaries,
            String version,
            String provider) {
        this.seedUri = seedUri;
        this.nodes = List.copyOf(nodes);
        this.primaries = List.copyOf(primaries);
        this.version = version;
        this.provider = provider;
    }

    /** {@code redis://host:port} of one primary: what a client or the source is pointed at. */
    public String seedUri() {
        return seedUri;
    }

    /** {@code redis://host:port} of every node, primaries and replicas. */
    public List<String> nodes() {
        return nodes;
    }

    /** {@code redis://host:port} of the primaries as the cluster was created (before failovers). */
    public List<String> primaries() {
        return primaries;
    }

    /** The {@code redis_version} the nodes reported. */
    public String version() {
        return version;
    }

    /** Where the nodes came from, e.g. {@code embedded, /usr/bin/redis-server}. */
    public String provider() {
        return provider;
    }

    @Override
    public String toString() {
        return "Redis Cluster "
                + version
                + " of "
                + nodes.size()
                + " nodes, primaries "
                + primaries
                + " ("
                + provider
                + ")";
    }
}
