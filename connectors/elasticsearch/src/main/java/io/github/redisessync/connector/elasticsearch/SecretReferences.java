package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references in a URL's user-info, so that secrets come from the environment or
 * from files and never have to be written on a command line: {@code ${env:NAME}} is the variable's
 * value, {@code ${file:/path}} the file's content without its trailing newline.
 *
 * <pre>{@code
 * redis://sync:${file:/run/secrets/redis-password}@redis:6379
 * https://${env:ES_USERNAME}:${env:ES_PASSWORD}@es:9200
 * }</pre>
 *
 * Values are percent-encoded where they are inserted, so any character may be in a password. A
 * reference that cannot be resolved is an error naming the variable or file, never the value.
 */
public final class SecretReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private SecretReferences() {}

    /** {@code url} with every reference replaced by its percent-encoded value. */
    public static String resolve(String url, Map<String, String> environment) {
        if (url == null || !url.contains("${")) {
            return url;
        }
        Matcher matcher = REFERENCE.matcher(url);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = value(matcher.group(1), matcher.group(2), environment);
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(encode(value)));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** The value of one reference, e.g. ("env", "ES_PASSWORD"). */
    static String value(String kind, String name, Map<String, String> environment) {
        if (kind.equals("env")) {
            String value = environment.get(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(
                        "The URL refers to ${env:" + name + "}, which is not set.");
            }
            return value;
        }
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8)
                    .replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "The URL refers to ${file:" + name + "}, which cannot be read: " + e, e);
        }
    }

    /** Percent-encoding for user-info: spaces as %20 (not +), everything but unreserved. */
    public static String encodeUserInfo(String value) {
        return encode(value);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
