package io.github.redisessync.connector.elasticsearch;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpHost;

/** Parses the Elasticsearch URLs users give, with errors that name the URL (credentials hidden). */
public final class ElasticsearchUrls {

    /**
     * Scheme, then user-info up to its {@code @}; a {@code ${file:/path}} reference in it may hold
     * slashes.
     */
    static final String USER_INFO = "^([a-zA-Z][a-zA-Z0-9+.-]*://)(?:\\$\\{[^}]*}|[^@/])*@";

    /** The one query parameter a URL may carry: the PEM file of the CA to trust. */
    public static final String CA_FILE_PARAMETER = "ca-file";

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
        String query = uri.getRawQuery();
        if (query != null && !query.startsWith(CA_FILE_PARAMETER + "=")
                || query != null && query.contains("&")) {
            throw invalid(url, "the only parameter it may have is " + CA_FILE_PARAMETER);
        }
        int port = uri.getPort() == -1 ? 9200 : uri.getPort();
        return new HttpHost(uri.getHost(), port, scheme);
    }

    /** The path the URL's {@code ca-file} parameter names, or null. */
    public static String caFile(String url) {
        String bare = url == null ? "" : withoutUserInfo(url.trim());
        int start = bare.indexOf("?" + CA_FILE_PARAMETER + "=");
        if (start < 0) {
            return null;
        }
        String value = bare.substring(start + CA_FILE_PARAMETER.length() + 2);
        int end = value.indexOf('&');
        value =
                URLDecoder.decode(
                        (end < 0 ? value : value.substring(0, end)).replace("+", "%2B"),
                        StandardCharsets.UTF_8);
        return value.isEmpty() ? null : value;
    }

    /**
     * {@code url} with its {@code ca-file} parameter set to {@code caFile} (replacing one it has);
     * slashes stay readable, other reserved characters are percent-encoded.
     */
    public static String withCaFile(String url, String caFile) {
        int query = url.indexOf('?', url.indexOf("://") + 3);
        String base = query < 0 ? url : url.substring(0, query);
        String encoded =
                URLEncoder.encode(caFile, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                        .replace("%2F", "/");
        return base + "?" + CA_FILE_PARAMETER + "=" + encoded;
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
                        + " (expected http://host:port or https://host:port[?ca-file=/path/ca.pem]).");
    }
}
