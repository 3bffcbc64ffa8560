package dev.mixrule.kafka;

import dev.mixrule.kernel.messaging.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the broker, written once: the local stack, the test broker and the deployment files'
 * init job apply this table (docs/security.md, "Kafka"). Every principal gets exactly the operations its
 * channels need; anything not listed is denied ({@code allow.everyone.if.no.acl.found=false}). The topics
 * are created by the admin, so no service may create anything.
 *
 * <p>Needs kafka-clients on the class path (an optional dependency of the kernel).
 */
public final class KafkaAccess {
    /** The broker itself and the operator (CLI, init job): super users, no ACLs. */
    public static final String BROKER = "broker";
    public static final String ADMIN = "admin";
    public static final String SAMPLER = "sampler";
    public static final String TRAINER = "trainer";
    public static final String EVALUATOR = "evaluator";
    public static final String LEADERBOARD = "leaderboard";
    public static final List<String> SERVICES = List.of(SAMPLER, TRAINER, EVALUATOR, LEADERBOARD);
    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private KafkaAccess() {}

    /** The ACLs of the four services (consumer groups as in their application.properties). */
    public static List<AclBinding> serviceAcls() {
        List<AclBinding> acls = new ArrayList<>();
        Grants sampler = new Grants(SAMPLER, acls).write(Topics.CANDIDATES, Topics.CONTROL)
                .read(Topics.TRAINING_RESULTS, Topics.EVALUATION_RESULTS, Topics.TRAINING_PROGRESS);
        sampler.group("sampler-service", PatternType.LITERAL);
        Grants trainer = new Grants(TRAINER, acls).read(Topics.CANDIDATES, Topics.CONTROL)
                .write(Topics.TRAINING_RESULTS, Topics.TRAINING_PROGRESS);
        trainer.group("trainer-service", PatternType.LITERAL);
        trainer.group("trainer-control-", PatternType.PREFIXED); // one group per replica: trainer-control-<uuid>
        new Grants(EVALUATOR, acls).read(Topics.TRAINING_RESULTS).write(Topics.EVALUATION_RESULTS)
                .group("evaluator-service", PatternType.LITERAL);
        new Grants(LEADERBOARD, acls).read(Topics.TRAINING_RESULTS, Topics.EVALUATION_RESULTS)
                .group("leaderboard-service", PatternType.LITERAL);
        for (String service : SERVICES) {
            new Grants(service, acls).write(Topics.DEAD_LETTER);
        }
        return acls;
    }

    /**
     * An evaluator outside the services (a plugin, another language): reads training results in consumer
     * groups whose names start with its principal's name, writes evaluation results, nothing else.
     */
    public static List<AclBinding> externalEvaluatorAcls(String principal) {
        if (principal == null || !principal.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("evaluator principal '" + principal
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (principal.equals(ADMIN) || principal.equals(BROKER) || SERVICES.contains(principal)) {
            throw new IllegalArgumentException("'" + principal + "' is a built-in principal; choose another name");
        }
        List<AclBinding> acls = new ArrayList<>();
        new Grants(principal, acls).read(Topics.TRAINING_RESULTS).write(Topics.EVALUATION_RESULTS)
                .group(principal, PatternType.PREFIXED);
        return acls;
    }

    /** Allow-rules of one principal, added to a list. */
    private record Grants(String principal, List<AclBinding> out) {
        Grants read(String... topics) {
            return allow(AclOperation.READ, topics);
        }

        Grants write(String... topics) {
            return allow(AclOperation.WRITE, topics);
        }

        private Grants allow(AclOperation op, String... topics) {
            for (String t : topics) {
                add(new ResourcePattern(ResourceType.TOPIC, t, PatternType.LITERAL), op);
            }
            return this;
        }

        Grants group(String name, PatternType type) {
            add(new ResourcePattern(ResourceType.GROUP, name, type), AclOperation.READ);
            return this;
        }

        private void add(ResourcePattern pattern, AclOperation op) {
            out.add(new AclBinding(pattern, new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW)));
        }
    }
}
