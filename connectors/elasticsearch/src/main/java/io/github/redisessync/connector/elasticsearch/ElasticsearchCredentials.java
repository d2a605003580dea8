package io.github.redisessync.connector.elasticsearch;

import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;

/**
 * How the sink and the index manager authenticate to Elasticsearch: basic auth or an API key, or
 * nothing. Kept apart from the sink's {@code Configuration} so that no secret ever sits in a
 * configuration that Flink prints or shows; {@link #toString()} shows the kind only.
 *
 * <p>From, in order: the URL's user-info ({@code https://user:password@host:9200}, with {@link
 * SecretReferences} resolved), {@code ES_API_KEY} (the encoded key Elasticsearch returns), {@code
 * ES_USERNAME} with {@code ES_PASSWORD}.
 */
public final class ElasticsearchCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern USER_INFO =
            Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://((?:\\$\\{[^}]*}|[^@/])*)@");
    private static final ElasticsearchCredentials NONE =
            new ElasticsearchCredentials(null, "no credentials");

    private final String authorization;
    private final String kind;

    private ElasticsearchCredentials(String authorization, String kind) {
        this.authorization = authorization;
        this.kind = kind;
    }

    public static ElasticsearchCredentials none() {
        return NONE;
    }

    /** Credentials for {@code url} from its user-info, else from {@code environment}. */
    public static ElasticsearchCredentials of(String url, Map<String, String> environment) {
        // Not java.net.URI: its parse errors quote the whole URL, password included.
        Matcher matcher = USER_INFO.matcher(SecretReferences.resolve(url, environment));
        String userInfo = matcher.find() ? matcher.group(1) : null;
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        "Elasticsearch URL '"
                                + ElasticsearchUrls.redact(url)
                                + "' has a user but no password.");
            }
            return basic(
                    decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)));
        }
        String apiKey = environment.get("ES_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey(apiKey.trim());
        }
        String user = environment.get("ES_USERNAME");
        String password = environment.get("ES_PASSWORD");
        if (user != null && !user.isBlank()) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("ES_USERNAME is set but ES_PASSWORD is not.");
            }
            return basic(user, password);
        }
        return NONE;
    }

    public static ElasticsearchCredentials basic(String user, String password) {
        String token =
                Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ElasticsearchCredentials("Basic " + token, "basic auth as " + user);
    }

    /** An API key in the encoded form ({@code base64(id:api_key)}) that Elasticsearch returns. */
    public static ElasticsearchCredentials apiKey(String encoded) {
        return new ElasticsearchCredentials("ApiKey " + encoded, "API key");
    }

    /** The value of the {@code Authorization} header, if any. */
    public Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** {@code options} with the {@code Authorization} header added when there are credentials. */
    public RequestOptions apply(RequestOptions options) {
        if (authorization == null) {
            return options;
        }
        return options.toBuilder().addHeader("Authorization", authorization).build();
    }

    /**
     * What to add to an error: for a 401 answer, which kind of credentials was refused (never the
     * secret); else nothing.
     */
    public String hint(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            int status =
                    t instanceof ResponseException response
                            ? response.getResponse().getStatusLine().getStatusCode()
                            : 0;
            if (status == 401) {
                return " (401: Elasticsearch did not accept the credentials, " + kind + ")";
            }
            if (status == 403) {
                return " (403: the credentials lack a privilege this needs, " + kind + ")";
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return kind;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
