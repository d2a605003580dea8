package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Which certificates an {@code https://} Elasticsearch may present: those signed by the CA
 * certificates of a PEM file, or, without one, those the JVM trusts. Host names are verified either
 * way (the HTTP client's default verifier stays in place).
 *
 * <p>The file is named by the URL's {@code ca-file} parameter ({@code
 * https://es:9200?ca-file=/etc/es/ca.pem}, what the {@code elasticsearch.ca-file} setting folds in,
 * so that every client built from the URL trusts the same CA), else by {@code ES_CA_FILE}. Only the
 * path travels with the job; the file is read where a client is built, on the task side for the
 * sink.
 */
public final class ElasticsearchTls {

    /** The environment variable naming the CA file when the URL names none. */
    public static final String CA_FILE_ENV = "ES_CA_FILE";

    private ElasticsearchTls() {}

    /** The CA file for {@code url}: its {@code ca-file} parameter, else {@code ES_CA_FILE}. */
    public static String caFile(String url, Map<String, String> environment) {
        String fromUrl = ElasticsearchUrls.caFile(url);
        if (fromUrl != null) {
            return fromUrl;
        }
        String fromEnvironment = environment.get(CA_FILE_ENV);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }

    /** Makes {@code builder} trust the CA file's certificates; without a file it is unchanged. */
    static RestClientBuilder trust(RestClientBuilder builder, String caFile) {
        if (caFile == null) {
            return builder;
        }
        SSLContext context = sslContext(caFile);
        return builder.setHttpClientConfigCallback(http -> http.setSSLContext(context));
    }

    /** An SSL context trusting exactly the certificates of the PEM file. */
    public static SSLContext sslContext(String caFile) {
        Collection<? extends Certificate> certificates = certificates(caFile);
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
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "Cannot trust the CA certificates of " + caFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The certificates of a PEM (or DER) file; an error naming the file when it cannot be read or
     * holds none.
     */
    public static Collection<? extends Certificate> certificates(String caFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "The CA file " + caFile + " cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "The CA file " + caFile + " holds no valid certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(
                    "The CA file " + caFile + " holds no certificate (expected PEM).");
        }
        return certificates;
    }

    /**
     * What to add to a connection error: when the server's certificate was not trusted, which
     * setting names the CA; else nothing.
     */
    public static String hint(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathBuilderException) {
                return " (the server's TLS certificate is not trusted: name its CA's PEM file with"
                        + " elasticsearch.ca-file or "
                        + CA_FILE_ENV
                        + ")";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return "";
    }
}
