package io.github.redisessync.connector.elasticsearch;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.HttpHost;

/** Parses the Elasticsearch URLs users give, with errors that name the URL (credentials hidden). */
public final class ElasticsearchUrls {

    /**
     * Scheme, then user-info up to its {@code @}; a {@code ${file:/path}} reference in it may hold
     * slashes.
     */
    static final String USER_INFO = "^([a-zA-Z][a-zA-Z0-9+.-]*://)(?:\\$\\{[^}]*}|[^@/])*@";

    /** A URL query parameter: the PEM file of the CA to trust. */
    public static final String CA_FILE_PARAMETER = "ca-file";

    /** A URL query parameter: the PEM file of the client certificate (mutual TLS). */
    public static final String CLIENT_CERT_FILE_PARAMETER = "client-cert-file";

    /** A URL query parameter: the PEM file of the client certificate's private key. */
    public static final String CLIENT_KEY_FILE_PARAMETER = "client-key-file";

    /** The query parameters a URL may carry: paths of TLS files, never secrets themselves. */
    static final List<String> PARAMETERS =
            List.of(CA_FILE_PARAMETER, CLIENT_CERT_FILE_PARAMETER, CLIENT_KEY_FILE_PARAMETER);

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
        if (query != null) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                if (!PARAMETERS.contains(name)) {
                    throw invalid(
                            url,
                            "its parameters may be "
                                    + String.join(", ", PARAMETERS)
                                    + ", not '"
                                    + name
                                    + "'");
                }
            }
        }
        int port = uri.getPort() == -1 ? 9200 : uri.getPort();
        return new HttpHost(uri.getHost(), port, scheme);
    }

    /** The path the URL's {@code ca-file} parameter names, or null. */
    public static String caFile(String url) {
        return parameter(url, CA_FILE_PARAMETER);
    }

    /** The value of the URL's parameter {@code name} (one of {@link #PARAMETERS}), or null. */
    public static String parameter(String url, String name) {
        String bare = url == null ? "" : withoutUserInfo(url.trim());
        int query = bare.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String parameter : bare.substring(query + 1).split("&")) {
            if (parameter.startsWith(name + "=")) {
                String value =
                        URLDecoder.decode(
                                parameter.substring(name.length() + 1).replace("+", "%2B"),
                                StandardCharsets.UTF_8);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /**
     * {@code url} with its {@code ca-file} parameter set to {@code caFile} (replacing one it has);
     * slashes stay readable, other reserved characters are percent-encoded.
     */
    public static String withCaFile(String url, String caFile) {
        return withParameter(url, CA_FILE_PARAMETER, caFile);
    }

    /**
     * {@code url} with parameter {@code name} set to {@code value} (replacing one it has, keeping
     * the others); slashes stay readable, other reserved characters are percent-encoded.
     */
    public static String withParameter(String url, String name, String value) {
        int query = url.indexOf('?', url.indexOf("://") + 3);
        String base = query < 0 ? url : url.substring(0, query);
        List<String> kept = new ArrayList<>();
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                if (!parameter.isEmpty() && !parameter.startsWith(name + "=")) {
                    kept.add(parameter);
                }
            }
        }
        kept.add(
                name
                        + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8)
                                .replace("+", "%20")
                                .replace("%2F", "/"));
        return base + "?" + String.join("&", kept);
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
                        + " (expected http://host:port or"
                        + " https://host:port[?ca-file=/path/ca.pem&client-cert-file=...&client-key-file=...]).");
    }
}
