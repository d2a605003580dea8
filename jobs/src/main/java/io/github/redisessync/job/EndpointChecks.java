package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.connector.redis.source.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before any job is built, that Redis and Elasticsearch answer, so that a wrong URL or a
 * server that is down fails within seconds with a message naming the URL.
 */
public final class EndpointChecks {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern REDIS_VERSION = Pattern.compile("redis_version:([^\\r\\n]+)");

    private EndpointChecks() {}

    /** Connects to Redis, returns its version; throws {@link EndpointException} otherwise. */
    public static String redisVersion(String uri) {
        RedisURI redisUri = parseRedisUri(uri);
        redisUri.setTimeout(TIMEOUT);
        RedisClient client = RedisClients.create(RedisSecrets.resolve(uri, System.getenv()));
        try (StatefulRedisConnection<String, String> connection = client.connect(redisUri)) {
            Matcher m = REDIS_VERSION.matcher(connection.sync().info("server"));
            return m.find() ? m.group(1).trim() : "unknown";
        } catch (RuntimeException e) {
            throw new EndpointException(
                    "Cannot reach Redis at "
                            + redact(uri)
                            + ": "
                            + rootMessage(e)
                            + RedisClients.hint(e),
                    e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Parses a Redis URI, with an error that names it (password hidden). */
    public static RedisURI parseRedisUri(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("The Redis URL is empty.");
        }
        if (!uri.matches("^(redis|rediss|redis-socket)://.+")) {
            throw new IllegalArgumentException(
                    "Redis URL '"
                            + redact(uri)
                            + "' is not valid: expected redis://[user:password@]host:port[/db]"
                            + " or rediss://...");
        }
        try {
            // RedisClients reads our ca-file parameter; Lettuce must not see it.
            return RedisURI.create(
                    RedisClients.withoutCaFile(RedisSecrets.resolve(uri, System.getenv())));
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI, password resolved; name the kind only.
            throw new IllegalArgumentException(
                    "Redis URL '"
                            + redact(uri)
                            + "' is not valid ("
                            + e.getClass().getSimpleName()
                            + ").");
        }
    }

    /** Asks Elasticsearch its version; throws with the URL named when it does not answer. */
    public static String elasticsearchVersion(String url) {
        return searchServer(url).version();
    }

    /**
     * Asks the server what it is (Elasticsearch or OpenSearch, and the version); throws with the
     * URL named when it does not answer or is a server the job does not support.
     */
    public static SearchServerInfo searchServer(String url) {
        ElasticsearchUrls.parse(url);
        try (ElasticsearchIndexManager indexes = ElasticsearchIndexManager.create(url, TIMEOUT)) {
            return indexes.server().requireSupported(ElasticsearchUrls.redact(url));
        } catch (RuntimeException e) {
            throw new EndpointException(e.getMessage(), e);
        } catch (Exception e) {
            throw new EndpointException(
                    "Cannot reach Elasticsearch at " + ElasticsearchUrls.redact(url) + ": " + e, e);
        }
    }

    /** The URL with any password masked. */
    public static String redact(String url) {
        return ElasticsearchUrls.redact(url);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** A server that could not be reached or refused us; the message names the URL. */
    public static final class EndpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EndpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
