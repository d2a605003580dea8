package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM forms a client key may come in, and errors that name the file but no key material. */
class PemPrivateKeysTest {

    @TempDir Path directory;

    @Test
    void readsPkcs8RsaAndEcKeys() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            PrivateKey key = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate();
            Path file = pem("key-" + algorithm + ".pem", "PRIVATE KEY", key.getEncoded());

            assertThat(PemPrivateKeys.read(file.toString(), "test")).isEqualTo(key);
        }
    }

    @Test
    void readsAPkcs1RsaKeyAsElasticsearchCertutilWritesIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        // A 2048-bit key's PKCS#8 form is 26 bytes of header around the PKCS#1 key.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertThat(PemPrivateKeys.pkcs8FromPkcs1(pkcs1)).isEqualTo(pkcs8);
        Path file = pem("rsa.pem", "RSA PRIVATE KEY", pkcs1);

        assertThat(PemPrivateKeys.read(file.toString(), "test")).isEqualTo(pair.getPrivate());
    }

    @Test
    void encryptedMissingAndCertificateOnlyFilesAreNamedWithoutTheirContent() throws Exception {
        Path encrypted = pem("enc.pem", "ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3});
        Path certificateOnly = pem("cert.pem", "CERTIFICATE", new byte[] {4, 5, 6});
        Path missing = directory.resolve("missing.key");

        assertThatThrownBy(() -> PemPrivateKeys.read(encrypted.toString(), "ES_CLIENT_KEY_FILE"))
                .hasMessageContaining(encrypted + " holds an encrypted key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                .hasMessageNotContaining("AQID");
        assertThatThrownBy(() -> PemPrivateKeys.read(certificateOnly.toString(), "X"))
                .hasMessageContaining(certificateOnly + " (X) holds no PEM private key");
        assertThatThrownBy(() -> PemPrivateKeys.read(missing.toString(), "X"))
                .hasMessageContaining("The client key file " + missing + " (X) cannot be read");
    }

    private Path pem(String name, String type, byte[] der) throws Exception {
        String text =
                "-----BEGIN "
                        + type
                        + "-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(der)
                        + "\n-----END "
                        + type
                        + "-----\n";
        return Files.writeString(directory.resolve(name), text);
    }
}
