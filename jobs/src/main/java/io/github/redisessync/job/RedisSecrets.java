package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.SecretReferences;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis URI with its credentials filled in from the environment or files: {@code ${env:NAME}}
 * and {@code ${file:/path}} references in it ({@link SecretReferences}), else {@code
 * REDIS_PASSWORD} (and {@code REDIS_USERNAME} for an ACL user) when the URI carries no user-info.
 *
 * <p>The result goes to the source object itself, never into a Flink configuration; everything that
 * prints a Redis URI masks its user-info ({@code RedisUris.redact}).
 */
public final class RedisSecrets {

    private static final Pattern SCHEME =
            Pattern.compile("^(rediss?://)((?:\\$\\{[^}]*}|[^@/])*@)?");

    private RedisSecrets() {}

    public static String resolve(String uri, Map<String, String> environment) {
        if (uri == null) {
            return null;
        }
        String resolved = SecretReferences.resolve(uri, environment);
        Matcher matcher = SCHEME.matcher(resolved);
        String password = environment.get("REDIS_PASSWORD");
        if (!matcher.find() || matcher.group(2) != null || password == null || password.isEmpty()) {
            return resolved;
        }
        String user = environment.getOrDefault("REDIS_USERNAME", "");
        String userInfo =
                SecretReferences.encodeUserInfo(user)
                        + ":"
                        + SecretReferences.encodeUserInfo(password)
                        + "@";
        return matcher.group(1) + userInfo + resolved.substring(matcher.end());
    }
}
