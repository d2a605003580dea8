package io.github.redisessync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away CA and a server certificate it signed (SAN {@code 127.0.0.1} and {@code localhost}),
 * as PEM files, made with the JDK's own {@code keytool} so that no {@code openssl} is needed; more
 * certificates of the same CA (other host names, clients) with {@link #issue}.
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.create(tempDir);
 * EmbeddedRedisServer.builder().tls(tls.certificate(), tls.key(), tls.ca()).start();
 * }</pre>
 */
public final class TestCertificates {
    private static final String STORE_PASSWORD = "throwaway";

    private final Path dir;
    private final Path caStore;
    private final Path ca;
    private final Path certificate;
    private final Path key;

    private TestCertificates(Path dir, Path caStore, Path ca, Path certificate, Path key) {
        this.dir = dir;
        this.caStore = caStore;
        this.ca = ca;
        this.certificate = certificate;
        this.key = key;
    }

    /** A certificate the CA signed and its private key (unencrypted PKCS#8 PEM). */
    public record Issued(Path certificate, Path key) {}

    /**
     * Writes {@code ca.pem}, {@code server.pem} and {@code server.key} (PKCS#8) into {@code dir}.
     */
    public static TestCertificates create(Path dir) {
        Path caStore = dir.resolve("ca.p12");
        Path ca = dir.resolve("ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-dname",
                "CN=redis-es-sync test CA",
                "-ext",
                "bc:c",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-keystore",
                caStore.toString());
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                caStore.toString(),
                "-file",
                ca.toString());
        Issued server =
                issue(
                        dir,
                        caStore,
                        "server",
                        "localhost",
                        "ip:127.0.0.1,dns:localhost",
                        "serverAuth");
        return new TestCertificates(dir, caStore, ca, server.certificate(), server.key());
    }

    /**
     * Another certificate of this CA, written as {@code <name>.pem} and {@code <name>.key}: a
     * server certificate for other names ({@code issue("localhost-only", "localhost",
     * "dns:localhost", "serverAuth")}) or a client certificate ({@code issue("client", "sync",
     * null, "clientAuth")}).
     *
     * @param subjectAlternativeNames keytool's SAN syntax, or null for none
     */
    public Issued issue(
            String name,
            String commonName,
            String subjectAlternativeNames,
            String extendedKeyUsage) {
        return issue(dir, caStore, name, commonName, subjectAlternativeNames, extendedKeyUsage);
    }

    private static Issued issue(
            Path dir,
            Path caStore,
            String name,
            String commonName,
            String subjectAlternativeNames,
            String extendedKeyUsage) {
        Path store = dir.resolve(name + ".p12");
        Path request = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-dname",
                "CN=" + commonName,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-keystore",
                store.toString());
        keytool(
                "-certreq",
                "-alias",
                name,
                "-keystore",
                store.toString(),
                "-file",
                request.toString());
        List<String> gencert =
                new ArrayList<>(
                        List.of(
                                "-gencert",
                                "-rfc",
                                "-alias",
                                "ca",
                                "-keystore",
                                caStore.toString(),
                                "-infile",
                                request.toString(),
                                "-outfile",
                                certificate.toString(),
                                "-ext",
                                "KU=digitalSignature,keyEncipherment",
                                "-ext",
                                "EKU=" + extendedKeyUsage,
                                "-validity",
                                "2"));
        if (subjectAlternativeNames != null) {
            gencert.addAll(List.of("-ext", "SAN=" + subjectAlternativeNames));
        }
        keytool(gencert.toArray(String[]::new));
        writePrivateKey(store, name, key);
        return new Issued(certificate, key);
    }

    /** The CA's certificate: what clients are told to trust. */
    public Path ca() {
        return ca;
    }

    /** The server's certificate, signed by {@link #ca()}. */
    public Path certificate() {
        return certificate;
    }

    /** The server's private key, unencrypted PKCS#8 PEM. */
    public Path key() {
        return key;
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(
                        "keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run keytool: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool.", e);
        }
    }

    /** keytool cannot export a private key; the JDK can read it from the PKCS#12 store. */
    private static void writePrivateKey(Path store, String alias, Path key) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD.toCharArray());
            Key privateKey = keyStore.getKey(alias, STORE_PASSWORD.toCharArray());
            String pem =
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(privateKey.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(key, pem, StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the private key " + key + ": " + e, e);
        }
    }
}
