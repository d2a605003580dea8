package io.github.redisessync.connector.redis.source;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;

/**
 * Creates every Redis client we use (the source, verify, sweeps, reindex, the launcher's loaders),
 * so that {@code rediss://} trusts the same CA everywhere.
 *
 * <pre>{@code
 * RedisClient client = RedisClients.create("rediss://redis:6380?ca-file=/etc/redis/ca.pem");
 * }</pre>
 *
 * <p>The CA file (PEM) is named by the URI's {@code ca-file} parameter, which the {@code
 * redis.ca-file} setting folds in (so it travels wherever the URI goes, as the database does), else
 * by {@code REDIS_CA_FILE}; without either, the JVM's CAs. Lettuce verifies the host name against
 * the certificate ({@code verifyPeer}, on by default). Only the path travels; the file is read
 * where the client is created.
 */
public final class RedisClients {

    /** The URI parameter naming the CA file; removed before Lettuce parses the URI. */
    public static final String CA_FILE_PARAMETER = "ca-file";

    /** The environment variable naming the CA file when the URI names none. */
    public static final String CA_FILE_ENV = "REDIS_CA_FILE";

    private RedisClients() {}

    /** A client bound to {@code uri}: {@code connect()} reaches it. */
    public static RedisClient create(String uri) {
        return create(uri, ClientOptions.builder());
    }

    /** A client bound to {@code uri} with {@code options} plus the URI's TLS trust. */
    public static RedisClient create(String uri, ClientOptions.Builder options) {
        RedisClient client = RedisClient.create(RedisUris.parse(uri));
        client.setOptions(withTls(options, uri).build());
        return client;
    }

    /**
     * A client on {@code resources} with {@code options} plus the TLS trust of {@code uri}; connect
     * it with {@code RedisUris.parse(uri)}.
     */
    public static RedisClient create(
            ClientResources resources, ClientOptions.Builder options, String uri) {
        RedisClient client = RedisClient.create(resources);
        client.setOptions(withTls(options, uri).build());
        return client;
    }

    /** {@code options} trusting the CA file of {@code uri}, if it names one (or the env does). */
    public static ClientOptions.Builder withTls(ClientOptions.Builder options, String uri) {
        String caFile = caFile(uri, System.getenv());
        return caFile == null ? options : options.sslOptions(sslOptions(caFile));
    }

    /** The CA file for {@code uri}: its {@code ca-file} parameter, else {@code REDIS_CA_FILE}. */
    public static String caFile(String uri, Map<String, String> environment) {
        int query = uri == null ? -1 : uri.indexOf('?');
        if (query >= 0) {
            for (String parameter : uri.substring(query + 1).split("&")) {
                if (parameter.startsWith(CA_FILE_PARAMETER + "=")) {
                    String value = parameter.substring(CA_FILE_PARAMETER.length() + 1);
                    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
                }
            }
        }
        String fromEnvironment = environment.get(CA_FILE_ENV);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }

    /** {@code uri} with its {@code ca-file} parameter set (slashes stay readable). */
    public static String withCaFile(String uri, String caFile) {
        String bare = withoutCaFile(uri);
        String encoded =
                URLEncoder.encode(caFile, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                        .replace("%2F", "/");
        return bare + (bare.indexOf('?') < 0 ? "?" : "&") + CA_FILE_PARAMETER + "=" + encoded;
    }

    /** {@code uri} without its {@code ca-file} parameter: what Lettuce is given. */
    public static String withoutCaFile(String uri) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return uri;
        }
        String kept =
                Arrays.stream(uri.substring(query + 1).split("&"))
                        .filter(p -> !p.isEmpty() && !p.startsWith(CA_FILE_PARAMETER + "="))
                        .collect(Collectors.joining("&"));
        return uri.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
    }

    /** Trust in exactly the certificates of the PEM file; an error naming it if it has none. */
    static SslOptions sslOptions(String caFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "The Redis CA file " + caFile + " cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "The Redis CA file " + caFile + " holds no valid certificate: " + e, e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(
                    "The Redis CA file " + caFile + " holds no certificate (expected PEM).");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            return SslOptions.builder().jdkSslProvider().trustManager(trust).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "Cannot trust the certificates of the Redis CA file " + caFile + ": " + e, e);
        }
    }

    /**
     * A connection failure as text: Lettuce's message ("Unable to connect to ...") names no cause,
     * so the innermost cause is added, and for an untrusted certificate which setting names the CA.
     */
    public static String describe(Throwable error) {
        Throwable root = error;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            root = t;
        }
        String text =
                error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (root != error && root.getMessage() != null) {
            text += ": " + root.getMessage();
        }
        return text + hint(error);
    }

    /** For an untrusted server certificate, which setting names the CA; else empty. */
    public static String hint(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathBuilderException) {
                return " (the server's TLS certificate is not trusted: name its CA's PEM file with"
                        + " redis.ca-file or "
                        + CA_FILE_ENV
                        + ")";
            }
        }
        return "";
    }
}
