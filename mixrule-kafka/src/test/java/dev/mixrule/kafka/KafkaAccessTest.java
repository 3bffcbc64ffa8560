package dev.mixrule.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.kernel.messaging.Topics;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

/** The access table: least privilege per principal; the insecure mode is recognised. */
class KafkaAccessTest {
    @Test
    void plainTextIsInsecureAndSaysSo() {
        assertTrue(KafkaSecurityNotice.insecure("PLAINTEXT"));
        assertFalse(KafkaSecurityNotice.insecure("SASL_SSL"));
        assertTrue(KafkaSecurityNotice.describe("PLAINTEXT", "").startsWith("WARNING"));
    }

    @Test
    void everyServiceMayWriteTheDeadLetterTopicAndNobodyButTheSamplerWritesCandidates() {
        var acls = KafkaAccess.serviceAcls();
        for (String s : KafkaAccess.SERVICES) {
            assertTrue(acls.stream().anyMatch(a -> a.entry().principal().equals("User:" + s)
                    && a.pattern().name().equals(Topics.DEAD_LETTER)), s);
        }
        var writers = acls.stream().filter(a -> a.pattern().name().equals(Topics.CANDIDATES)
                && a.entry().operation() == AclOperation.WRITE).map(a -> a.entry().principal()).toList();
        assertEquals(List.of("User:sampler"), writers);
        assertTrue(acls.stream().noneMatch(a -> a.entry().operation() != AclOperation.READ
                && a.entry().operation() != AclOperation.WRITE), "only READ and WRITE are granted");
    }

    @Test
    void anExternalEvaluatorReadsTrainingResultsAndWritesEvaluationsOnly() {
        assertThrows(IllegalArgumentException.class, () -> KafkaAccess.externalEvaluatorAcls("admin"));
        assertThrows(IllegalArgumentException.class, () -> KafkaAccess.externalEvaluatorAcls("a b"));
        var acls = KafkaAccess.externalEvaluatorAcls("py-size");
        assertEquals(3, acls.size());
        assertTrue(acls.stream().anyMatch(a -> a.pattern().name().equals(Topics.EVALUATION_RESULTS)
                && a.entry().operation() == AclOperation.WRITE));
    }
}
