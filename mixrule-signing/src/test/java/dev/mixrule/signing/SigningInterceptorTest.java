package dev.mixrule.signing;

import dev.mixrule.kernel.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningInterceptorTest {
    static final String TOPIC = "mixrule-evaluation-results";
    static final byte[] VALUE = {1, 2, 'v', 'a', 'l', 'u', 'e'};

    @Test
    void signsWhenGivenAKeyAndPassesRecordsOtherwise(@TempDir Path dir) throws Exception {
        KeyPair k = RecordSignatures.generate();
        Path key = dir.resolve("k.pem");
        Files.writeString(key, RecordSignatures.privatePem(k.getPrivate()));
        SigningInterceptor unsigned = new SigningInterceptor();
        unsigned.configure(Map.of());
        ProducerRecord<Object, Object> r = new ProducerRecord<>(TOPIC, "0123456789abcdef", VALUE);
        assertNull(unsigned.onSend(r).headers().lastHeader(RecordSignatures.SIGNATURE_HEADER), "no key, no signature");
        SigningInterceptor signing = new SigningInterceptor();
        signing.configure(Map.of(SigningInterceptor.KEY_FILE, key.toString(), SigningInterceptor.PRINCIPAL, "evaluator"));
        ProducerRecord<Object, Object> signed = signing.onSend(r);
        assertEquals("evaluator", new String(signed.headers().lastHeader(RecordSignatures.PRINCIPAL_HEADER).value(), StandardCharsets.UTF_8));
        assertTrue(RecordSignatures.verify(k.getPublic(), TOPIC, "0123456789abcdef", VALUE,
                signed.headers().lastHeader(RecordSignatures.SIGNATURE_HEADER).value()));
    }

    @Test
    void keepsTheRecordsOtherHeadersSuchAsItsTraceContext(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("k.pem");
        Files.writeString(key, RecordSignatures.privatePem(RecordSignatures.generate().getPrivate()));
        SigningInterceptor signing = new SigningInterceptor();
        signing.configure(Map.of(SigningInterceptor.KEY_FILE, key.toString(), SigningInterceptor.PRINCIPAL, "evaluator"));
        ProducerRecord<Object, Object> r = new ProducerRecord<>(TOPIC, "0123456789abcdef", VALUE);
        byte[] traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.US_ASCII);
        r.headers().add("traceparent", traceparent);
        ProducerRecord<Object, Object> signed = signing.onSend(r);
        assertArrayEquals(traceparent, signed.headers().lastHeader("traceparent").value(), "the trace context survives signing");
        assertNotNull(signed.headers().lastHeader(RecordSignatures.SIGNATURE_HEADER));
    }
}
