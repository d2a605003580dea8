package io.github.redisessync.connector.elasticsearch;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.http.HttpHost;

/** Parses the Elasticsearch URLs users give, with errors that name the URL (credentials hidden). */
public final class ElasticsearchUrls {

    /**
     * Scheme, then user-info up to its {@code @}; a {@code ${file:/path}} reference in it may hold
     * slashes.
     */
    static final String USER_INFO = "^([a-zA-Z][a-zA-Z0-9+.-]*://)(?:\\$\\{[^}]*}|[^@/])*@";

    private ElasticsearchUrls() {}

    /** Parses {@code http[s]://host[:port]}; the port defaults to 9200. */
    public static HttpHost parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("The Elasticsearch URL is empty.");
        }
        URI uri;
        try {
            // User-info (credentials, or references to them) is ElasticsearchCredentials' business.
            uri = new URI(withoutUserInfo(url.trim()));
        } catch (URISyntaxException e) {
            throw invalid(url, e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid(url, "the scheme must be http or https");
        }
        if (uri.getHost() == null) {
            throw invalid(url, "it names no host");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw invalid(url, "a path prefix is not supported");
        }
        int port = uri.getPort() == -1 ? 9200 : uri.getPort();
        return new HttpHost(uri.getHost(), port, scheme);
    }

    /** The URL without its user-info part: what the sink's configuration may hold. */
    public static String withoutUserInfo(String url) {
        return url.replaceFirst(USER_INFO, "$1");
    }

    /** The URL as it may appear in logs and messages: any user-info part is masked. */
    public static String redact(String url) {
        if (url == null) {
            return "null";
        }
        return url.replaceFirst(USER_INFO, "$1***@");
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException(
                "Elasticsearch URL '"
                        + redact(url)
                        + "' is not valid: "
                        + why
                        + " (expected http://host:port or https://host:port).");
    }
}
