package io.github.redisessync.connector.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the private key of a client certificate from a PEM file: unencrypted PKCS#8 ({@code BEGIN
 * PRIVATE KEY}, RSA, EC or EdDSA) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, what {@code
 * elasticsearch-certutil --pem} writes). Errors name the file and the form, never any key material.
 */
final class PemPrivateKeys {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");
    private static final String CONVERT =
            " (convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8.pem)";

    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }, to wrap a PKCS#1 key into PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {
        0x30,
        0x0d,
        0x06,
        0x09,
        0x2a,
        (byte) 0x86,
        0x48,
        (byte) 0x86,
        (byte) 0xf7,
        0x0d,
        0x01,
        0x01,
        0x01,
        0x05,
        0x00
    };

    private PemPrivateKeys() {}

    /** The key of {@code file}; {@code setting} names where the path came from, for errors. */
    static PrivateKey read(String file, String setting) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "The client key file " + file + " (" + setting + ") cannot be read: " + e, e);
        }
        Matcher matcher = PEM.matcher(text);
        while (matcher.find()) {
            String type = matcher.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (type.startsWith("ENCRYPTED") || matcher.group(2).contains("ENCRYPTED")) {
                throw new IllegalArgumentException(
                        "The client key file "
                                + file
                                + " holds an encrypted key; an unencrypted one is needed"
                                + CONVERT
                                + ".");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(matcher.group(2).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "The client key file "
                                + file
                                + " holds a "
                                + type
                                + " that is not base64.");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY":
                    return pkcs8(pkcs8FromPkcs1(der), file);
                default:
                    throw new IllegalArgumentException(
                            "The client key file "
                                    + file
                                    + " holds an "
                                    + type
                                    + ", which is not supported; an unencrypted PKCS#8 key is"
                                    + CONVERT
                                    + ".");
            }
        }
        throw new IllegalArgumentException(
                "The client key file "
                        + file
                        + " ("
                        + setting
                        + ") holds no PEM private key (expected -----BEGIN PRIVATE KEY-----).");
    }

    private static PrivateKey pkcs8(byte[] der, String file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm: try the next one.
            }
        }
        throw new IllegalArgumentException(
                "The client key file "
                        + file
                        + " holds a private key that is neither RSA, EC nor EdDSA"
                        + CONVERT
                        + ".");
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { the PKCS#1 key } }. */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(0x30);
        writeLength(info, body.size());
        info.writeBytes(body.toByteArray());
        return info.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }
}
