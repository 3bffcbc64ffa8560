package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.messaging.DeadLetterReason;
import dev.mixrule.kernel.messaging.MalformedRecordException;
import dev.mixrule.kernel.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The principal behind a record: named in its header, believed only when one of its registered keys signed it. */
final class RecordProvenance {
    private final ProvenanceRegistry registry;

    RecordProvenance(ProvenanceRegistry registry) {
        this.registry = registry;
    }

    /** The verified principal of the record; refuses (MalformedRecordException) an unsigned, unknown or forged one. */
    String verify(ConsumerRecord<String, byte[]> r) {
        Header name = r.headers().lastHeader(RecordSignatures.PRINCIPAL_HEADER);
        Header signature = r.headers().lastHeader(RecordSignatures.SIGNATURE_HEADER);
        String where = r.topic() + " record with key '" + r.key() + "'";
        if (name == null || signature == null) {
            throw new MalformedRecordException(DeadLetterReason.UNSIGNED, where + " is not signed (headers " + RecordSignatures.PRINCIPAL_HEADER
                    + " and " + RecordSignatures.SIGNATURE_HEADER + " are required)");
        }
        String principal = new String(name.value(), StandardCharsets.UTF_8);
        var keys = registry.publicKeys(principal);
        if (keys.isEmpty()) {
            throw new MalformedRecordException(DeadLetterReason.UNKNOWN_PRINCIPAL, where + " names principal '" + principal + "', which is not registered");
        }
        for (PublicKey k : keys) {
            if (RecordSignatures.verify(k, r.topic(), r.key(), r.value(), signature.value())) {
                return principal;
            }
        }
        throw new MalformedRecordException(DeadLetterReason.BAD_SIGNATURE, where + " has a signature that does not verify for principal '" + principal + "'");
    }
}
