package dev.mixrule.kernel.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over Kafka records. Kafka does not stamp the producer's principal on a record, so a producer
 * names itself in header {@value #PRINCIPAL_HEADER} and signs, in header {@value #SIGNATURE_HEADER}, the bytes
 * {@code len(topic) topic len(key) key value} (lengths as 4-byte big-endian integers, strings UTF-8, a null key as
 * length -1), so no record can be passed off under another topic or key. Keys are PEM (PKCS#8 private,
 * X.509 SubjectPublicKeyInfo public), what {@code openssl genpkey -algorithm ed25519} and Python's cryptography write.
 */
public final class RecordSignatures {
    public static final String PRINCIPAL_HEADER = "mixrule-principal";
    public static final String SIGNATURE_HEADER = "mixrule-signature";
    public static final String ALGORITHM = "Ed25519";

    private RecordSignatures() {}

    /** The bytes a signature covers. */
    public static byte[] payload(String topic, String key, byte[] value) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] k = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value == null ? new byte[0] : value;
        return ByteBuffer.allocate(8 + t.length + k.length + v.length).putInt(t.length).put(t)
                .putInt(key == null ? -1 : k.length).put(k).put(v).array();
    }

    public static byte[] sign(PrivateKey key, String topic, String recordKey, byte[] value) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(payload(topic, recordKey, value));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a record for " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is the key's signature of the record; false for any malformed input. */
    public static boolean verify(PublicKey key, String topic, String recordKey, byte[] value, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(payload(topic, recordKey, value));
            return signature != null && s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + ALGORITHM + " in this JVM", e);
        }
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** A public key from PEM or from the bare base64 of its X.509 encoding. */
    public static PublicKey parsePublic(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " public key (PEM or base64 X.509): " + e.getMessage(), e);
        }
    }

    /** A private key from PEM or from the bare base64 of its PKCS#8 encoding. */
    public static PrivateKey parsePrivate(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key (PEM or base64 PKCS#8): " + e.getMessage(), e);
        }
    }

    /** The bare base64 of a public key's X.509 encoding: the form the principal registry stores. */
    public static String publicBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text) {
        String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
