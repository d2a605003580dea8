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
 * as PEM files, made with the JDK's own {@code keytool} so that no {@code openssl} is needed.
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.create(tempDir);
 * EmbeddedRedisServer.builder().tls(tls.certificate(), tls.key(), tls.ca()).start();
 * }</pre>
 */
public final class TestCertificates {
    private static final String STORE_PASSWORD = "throwaway";

    private final Path ca;
    private final Path certificate;
    private final Path key;

    private TestCertificates(Path ca, Path certificate, Path key) {
        this.ca = ca;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Writes {@code ca.pem}, {@code server.pem} and {@code server.key} (PKCS#8) into {@code dir}.
     */
    public static TestCertificates create(Path dir) {
        Path caStore = dir.resolve("ca.p12");
        Path serverStore = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path ca = dir.resolve("ca.pem");
        Path certificate = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
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
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-dname",
                "CN=localhost",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-keystore",
                serverStore.toString());
        keytool(
                "-certreq",
                "-alias",
                "server",
                "-keystore",
                serverStore.toString(),
                "-file",
                request.toString());
        keytool(
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
                "SAN=ip:127.0.0.1,dns:localhost",
                "-ext",
                "KU=digitalSignature,keyEncipherment",
                "-ext",
                "EKU=serverAuth",
                "-validity",
                "2");
        writePrivateKey(serverStore, key);
        return new TestCertificates(ca, certificate, key);
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
    private static void writePrivateKey(Path store, Path key) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD.toCharArray());
            Key privateKey = keyStore.getKey("server", STORE_PASSWORD.toCharArray());
            String pem =
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(privateKey.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(key, pem, StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the server's private key: " + e, e);
        }
    }
}
