package io.github.redisessync.connector.redis.source;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/** Parses Redis URIs and prints them without their credentials. */
public final class RedisUris {

    // scheme://user:password@ or scheme://password@ (Lettuce reads a lone user-info as password)
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)([^@/]*)@");

    private RedisUris() {}

    /**
     * Parses a {@code redis://} or {@code rediss://} URI; a bad one fails naming the setting and
     * the URI with its password redacted.
     */
    public static RedisURI parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("uri must be set to a redis:// URI, was empty.");
        }
        if (!(uri.startsWith("redis://") || uri.startsWith("rediss://"))) {
            throw new IllegalArgumentException(
                    "uri must start with redis:// or rediss://, was '" + redact(uri) + "'.");
        }
        try {
            // Lettuce takes "host:notaport" for a host name; java.net.URI does not.
            if (java.net.URI.create(uri).getHost() == null) {
                throw new IllegalArgumentException("no host, or a port that is not a number");
            }
            // Our ca-file parameter is RedisClients' business, not Lettuce's.
            return RedisURI.create(RedisClients.withoutCaFile(uri));
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI; keep it out.
            throw new IllegalArgumentException(
                    "uri is not a valid Redis URI, was '"
                            + redact(uri)
                            + "' ("
                            + e.getClass().getSimpleName()
                            + ").");
        }
    }

    /** The URI text with any user-info (user and password) replaced by {@code ***}. */
    public static String redact(String uri) {
        return uri == null ? "null" : USER_INFO.matcher(uri).replaceFirst("***@");
    }

    /** {@code scheme://host:port/database}: what logs and errors name, never with credentials. */
    public static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://")
                + uri.getHost()
                + ":"
                + uri.getPort()
                + "/"
                + uri.getDatabase();
    }
}
