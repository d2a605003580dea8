package io.github.redisessync.testing;

import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.embedded.RedisProbe;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Servers the user named with {@code REDIS_URL} / {@code ES_URL}: checked to answer, and never
 * silently replaced by another provider when they do not.
 */
final class ExternalServers {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ExternalServers() {}

    static RedisEndpoint redis(String url) {
        URI uri = parse(ProviderChoice.REDIS_URL, url);
        try {
            String version = RedisProbe.version(uri, TIMEOUT);
            int port = uri.getPort() == -1 ? 6379 : uri.getPort();
            return new RedisEndpoint(
                    url, uri.getHost(), port, version, "external, " + ProviderChoice.REDIS_URL);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    ProviderChoice.REDIS_URL
                            + "="
                            + TestServices.withoutPassword(url)
                            + " does not answer as a Redis server: "
                            + e.getMessage(),
                    e);
        }
    }

    static ElasticsearchEndpoint elasticsearch(String url) {
        URI uri = parse(ProviderChoice.ES_URL, url);
        try {
            String version = new ElasticsearchHttp(uri, TIMEOUT).version();
            return new ElasticsearchEndpoint(
                    url.replaceAll("/+$", ""), version, "external, " + ProviderChoice.ES_URL);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    ProviderChoice.ES_URL
                            + "="
                            + TestServices.withoutPassword(url)
                            + " does not answer as an Elasticsearch server: "
                            + e,
                    e);
        }
    }

    private static URI parse(String variable, String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    variable + "=" + url + " is not a URL with a host: " + e.getMessage(), e);
        }
    }
}
