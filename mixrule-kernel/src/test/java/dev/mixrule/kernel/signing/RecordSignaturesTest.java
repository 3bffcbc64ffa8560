package dev.mixrule.kernel.signing;

import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordSignaturesTest {
    static final String TOPIC = "mixrule-evaluation-results";
    static final byte[] VALUE = {1, 2, 'v', 'a', 'l', 'u', 'e'};

    @Test
    void aSignatureCoversTopicKeyAndValue() {
        KeyPair k = RecordSignatures.generate();
        byte[] sig = RecordSignatures.sign(k.getPrivate(), TOPIC, "0123456789abcdef", VALUE);
        assertTrue(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdef", VALUE, sig));
        assertFalse(RecordSignatures.verify(k.getPublic(), "mixrule-training-results", "0123456789abcdef", VALUE, sig));
        assertFalse(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdee", VALUE, sig));
        assertFalse(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdef", new byte[] {1, 2}, sig));
        assertFalse(RecordSignatures.verify(RecordSignatures.generate().getPublic(), TOPIC, "0123456789abcdef", VALUE, sig));
        assertFalse(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdef", VALUE, new byte[] {1, 2, 3}));
        // lengths separate the parts: moving bytes from the key into the topic changes the payload
        assertFalse(java.util.Arrays.equals(RecordSignatures.payload("ab", "c", VALUE), RecordSignatures.payload("a", "bc", VALUE)));
    }

    @Test
    void pythonsCryptographySignsTheSameBytes() {
        // examples/evaluators/python/size_evaluator.py's signed_headers with the private key bytes 0..31
        String pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n-----END PRIVATE KEY-----\n";
        byte[] python = Base64.getDecoder().decode(
                "jPQhZeG0sB9w7g6sKTfT7mexDKl5/lOnVHaRi8AMbh1rDBgn5352jpwyNLj3m5SH7aWC6G4AMjOJn0I0HlD0Bg==");
        assertArrayEquals(python, RecordSignatures.sign(RecordSignatures.parsePrivate(pem), TOPIC, "0123456789abcdef", VALUE));
    }

    @Test
    void signaturesAreTheJdksEd25519AndAnyFlippedBitIsRefused() throws Exception {
        KeyPair k = RecordSignatures.generate();
        Signature jdk = Signature.getInstance(RecordSignatures.ALGORITHM);
        jdk.initSign(k.getPrivate());
        jdk.update(RecordSignatures.payload(TOPIC, "0123456789abcdef", VALUE));
        byte[] sig = jdk.sign();
        assertArrayEquals(sig, RecordSignatures.sign(k.getPrivate(), TOPIC, "0123456789abcdef", VALUE));
        assertTrue(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdef", VALUE, sig));
        for (int bit = 0; bit < sig.length * 8; bit += 7) {
            byte[] forged = sig.clone();
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdef", VALUE, forged), "bit " + bit);
        }
    }

    @Test
    void pemRoundTrips() {
        KeyPair k = RecordSignatures.generate();
        assertEquals(k.getPublic(), RecordSignatures.parsePublic(RecordSignatures.publicPem(k.getPublic())));
        assertEquals(k.getPublic(), RecordSignatures.parsePublic(RecordSignatures.publicBase64(k.getPublic())));
        assertEquals(k.getPrivate(), RecordSignatures.parsePrivate(RecordSignatures.privatePem(k.getPrivate())));
    }
}
