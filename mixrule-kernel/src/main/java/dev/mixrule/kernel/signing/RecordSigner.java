package dev.mixrule.kernel.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/** One producer's identity: its principal name and private key; gives the two headers a record carries. */
public final class RecordSigner {
    private final String principal;
    private final PrivateKey key;

    public RecordSigner(String principal, PrivateKey key) {
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("a signer needs a principal name");
        }
        this.principal = principal;
        this.key = key;
    }

    /** Reads a PEM private key file (PKCS#8, Ed25519). */
    public static RecordSigner fromFile(String principal, Path keyFile) {
        try {
            return new RecordSigner(principal, RecordSignatures.parsePrivate(Files.readString(keyFile, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    public String principal() {
        return principal;
    }

    /** Header name to value, in the order they are added. */
    public Map<String, byte[]> headers(String topic, String recordKey, byte[] value) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(RecordSignatures.PRINCIPAL_HEADER, principal.getBytes(StandardCharsets.UTF_8));
        h.put(RecordSignatures.SIGNATURE_HEADER, RecordSignatures.sign(key, topic, recordKey, value));
        return h;
    }
}
