package io.github.redisessync.connector.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The TLS files of an {@code https://} Elasticsearch: the CA certificates (PEM) that signed the
 * server's certificate, or, without them, the JVM's CAs; and, for a server that requires client
 * certificates ({@code xpack.security.http.ssl.client_authentication: required}), a client
 * certificate and its private key (PEM). Host names are always verified: the HTTP client's default
 * verifier stays in place, and nothing here can turn it off.
 *
 * <p>Each file is named by a URL parameter ({@code
 * https://es:9200?ca-file=/etc/es/ca.pem&client-cert-file=...&client-key-file=...}, what the {@code
 * elasticsearch.*-file} settings fold in, so that every client built from the URL uses the same
 * files), else by {@code ES_CA_FILE}, {@code ES_CLIENT_CERT_FILE}, {@code ES_CLIENT_KEY_FILE}. Only
 * the paths travel with the job; the files are read where a client is built, on the task side for
 * the sink, and their content is never logged.
 *
 * @param caFile the CA file, or null for the JVM's CAs
 * @param clientCertFile the client certificate, or null for none
 * @param clientKeyFile the private key of the client certificate; null exactly when it is
 */
public record ElasticsearchTls(String caFile, String clientCertFile, String clientKeyFile)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The environment variable naming the CA file when the URL names none. */
    public static final String CA_FILE_ENV = "ES_CA_FILE";

    /** The environment variable naming the client certificate when the URL names none. */
    public static final String CLIENT_CERT_FILE_ENV = "ES_CLIENT_CERT_FILE";

    /** The environment variable naming the client key when the URL names none. */
    public static final String CLIENT_KEY_FILE_ENV = "ES_CLIENT_KEY_FILE";

    private static final ElasticsearchTls DEFAULT = new ElasticsearchTls(null, null, null);

    /**
     * @throws IllegalArgumentException naming both settings if a client certificate comes without
     *     its key, or the reverse
     */
    public ElasticsearchTls {
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException(
                    "A client certificate needs its key: set both "
                            + ElasticsearchUrls.CLIENT_CERT_FILE_PARAMETER
                            + " and "
                            + ElasticsearchUrls.CLIENT_KEY_FILE_PARAMETER
                            + " (or "
                            + CLIENT_CERT_FILE_ENV
                            + " and "
                            + CLIENT_KEY_FILE_ENV
                            + "), not only "
                            + (clientCertFile == null ? "the key" : "the certificate")
                            + ".");
        }
    }

    /** The JVM's CAs, no client certificate. */
    public static ElasticsearchTls jvmDefaults() {
        return DEFAULT;
    }

    /**
     * The files for {@code url}: each from its URL parameter, else from the environment. A client
     * certificate without its key (or the reverse) is an error naming both settings.
     */
    public static ElasticsearchTls of(String url, Map<String, String> environment) {
        String certificate =
                file(
                        url,
                        ElasticsearchUrls.CLIENT_CERT_FILE_PARAMETER,
                        CLIENT_CERT_FILE_ENV,
                        environment);
        String key =
                file(
                        url,
                        ElasticsearchUrls.CLIENT_KEY_FILE_PARAMETER,
                        CLIENT_KEY_FILE_ENV,
                        environment);
        String ca = caFile(url, environment);
        return ca == null && certificate == null
                ? DEFAULT
                : new ElasticsearchTls(ca, certificate, key);
    }

    /** The CA file for {@code url}: its {@code ca-file} parameter, else {@code ES_CA_FILE}. */
    public static String caFile(String url, Map<String, String> environment) {
        return file(url, ElasticsearchUrls.CA_FILE_PARAMETER, CA_FILE_ENV, environment);
    }

    private static String file(
            String url, String parameter, String variable, Map<String, String> environment) {
        String fromUrl = ElasticsearchUrls.parameter(url, parameter);
        if (fromUrl != null) {
            return fromUrl;
        }
        String fromEnvironment = environment.get(variable);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }

    /** Whether a client certificate is presented. */
    public boolean hasClientCertificate() {
        return clientCertFile != null;
    }

    /** Makes {@code builder} use these files; with none it is unchanged. */
    RestClientBuilder applyTo(RestClientBuilder builder) {
        if (caFile == null && clientCertFile == null) {
            return builder;
        }
        SSLContext context = sslContext();
        return builder.setHttpClientConfigCallback(http -> http.setSSLContext(context));
    }

    /** An SSL context trusting the CA file (else the JVM's CAs), with the client certificate. */
    public SSLContext sslContext() {
        TrustManager[] trust = caFile == null ? null : trustManagers(caFile);
        KeyManager[] keys = clientCertFile == null ? null : keyManagers();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot set up TLS with " + this + ": " + e, e);
        }
    }

    /** An SSL context trusting exactly the certificates of the PEM file. */
    public static SSLContext sslContext(String caFile) {
        return new ElasticsearchTls(caFile, null, null).sslContext();
    }

    private static TrustManager[] trustManagers(String caFile) {
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
            return trust.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "Cannot trust the CA certificates of " + caFile + ": " + e.getMessage(), e);
        }
    }

    private KeyManager[] keyManagers() {
        Certificate[] chain =
                read(clientCertFile, "client certificate file", CLIENT_CERT_FILE_ENV)
                        .toArray(Certificate[]::new);
        PrivateKey key = PemPrivateKeys.read(clientKeyFile, CLIENT_KEY_FILE_ENV);
        // An in-memory store only: its password protects nothing and never leaves this method.
        char[] password = new char[0];
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, password, chain);
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return keys.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            // The JDK's message may describe the key; name the files only.
            throw new IllegalArgumentException(
                    "The client certificate "
                            + clientCertFile
                            + " and key "
                            + clientKeyFile
                            + " cannot be used together ("
                            + e.getClass().getSimpleName()
                            + "): is the key the certificate's?",
                    e);
        }
    }

    /**
     * The certificates of a PEM (or DER) file; an error naming the file when it cannot be read or
     * holds none.
     */
    public static Collection<? extends Certificate> certificates(String caFile) {
        return read(caFile, "CA file", CA_FILE_ENV);
    }

    /**
     * Checks that a client certificate (chain) and its key can be read and used together; an error
     * naming the file otherwise, never the key's content.
     */
    public static void checkClientCertificate(String certificateFile, String keyFile) {
        new ElasticsearchTls(null, certificateFile, keyFile).keyManagers();
    }

    private static Collection<? extends Certificate> read(
            String file, String what, String variable) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "The " + what + " " + file + " cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "The " + what + " " + file + " holds no valid certificate: " + e.getMessage(),
                    e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(
                    "The " + what + " " + file + " holds no certificate (expected PEM).");
        }
        return certificates;
    }

    /**
     * What to add to a connection error: which TLS check failed and which setting fixes it; else
     * nothing.
     */
    public static String hint(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLPeerUnverifiedException) {
                // The HTTP client's verifier: the chain is trusted, the name is not in it.
                return " (hostname mismatch: the server's TLS certificate does not name the URL's"
                        + " host; use a host name the certificate names, or reissue it with this"
                        + " one as a subject alternative name)";
            }
            if (t instanceof CertificateException || t instanceof CertPathBuilderException) {
                return " (the server's TLS certificate is not trusted: name its CA's PEM file with"
                        + " elasticsearch.ca-file or "
                        + CA_FILE_ENV
                        + ")";
            }
            if (t instanceof SSLException && isClientCertificateAlert(t.getMessage())) {
                return " (the server requires a client certificate it trusts: name its PEM file"
                        + " and key with elasticsearch.client-cert-file and"
                        + " elasticsearch.client-key-file, or "
                        + CLIENT_CERT_FILE_ENV
                        + " and "
                        + CLIENT_KEY_FILE_ENV
                        + ")";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return "";
    }

    /** The alerts a server sends for a missing (TLS 1.3, 1.2) or rejected client certificate. */
    private static boolean isClientCertificateAlert(String message) {
        return message != null
                && (message.contains("certificate_required")
                        || message.contains("bad_certificate")
                        || message.contains("unknown_ca"));
    }

    /** The files' paths, for logs; never their content. */
    @Override
    public String toString() {
        String trust = caFile == null ? "JVM's CAs" : "CA file " + caFile;
        return clientCertFile == null
                ? trust
                : trust + ", client certificate " + clientCertFile + " (key " + clientKeyFile + ")";
    }
}
