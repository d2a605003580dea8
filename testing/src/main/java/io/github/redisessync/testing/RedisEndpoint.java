package io.github.redisessync.testing;

/** The Redis server a test run talks to, and where it came from. */
public final class RedisEndpoint {

    private final String uri;
    private final String host;
    private final int port;
    private final String version;
    private final String provider;

    RedisEndpoint(String uri, String host, int port, String version, String provider) {
        this.uri = uri;
        this.host = host;
        this.port = port;
        this.version = version;
        this.provider = provider;
    }

    /** {@code redis://host:port}, with credentials if the external server needs them. */
    public String uri() {
        return uri;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The {@code redis_version} the server reported. */
    public String version() {
        return version;
    }

    /** Where the server came from, e.g. {@code embedded, /usr/bin/redis-server}. */
    public String provider() {
        return provider;
    }

    @Override
    public String toString() {
        return "Redis "
                + version
                + " at "
                + TestServices.withoutPassword(uri)
                + " ("
                + provider
                + ")";
    }
}
