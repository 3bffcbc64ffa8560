package dev.mixrule.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Says at every service's start how it talks to Kafka, and warns loudly when that is without authentication
 * or encryption (the development mode MIXRULE_INSECURE=1 of the local stack, or a hand-made configuration).
 * A CDI bean the services pick up from the kernel's index.
 */
@ApplicationScoped
public class KafkaSecurityNotice {
    private static final Logger LOG = Logger.getLogger(KafkaSecurityNotice.class.getName());

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        var config = ConfigProvider.getConfig();
        String protocol = config.getOptionalValue("kafka.security.protocol", String.class).orElse("PLAINTEXT");
        String user = config.getOptionalValue("mixrule.kafka.user", String.class).orElse("");
        String message = describe(protocol, user);
        if (insecure(protocol)) {
            LOG.warning(message);
        } else {
            LOG.info(message);
        }
    }

    /** True for a protocol without authentication (PLAINTEXT, SSL without client certificates counts as secure). */
    public static boolean insecure(String protocol) {
        return !protocol.toUpperCase().startsWith("SASL_") && !protocol.equalsIgnoreCase("SSL");
    }

    public static String describe(String protocol, String user) {
        if (insecure(protocol)) {
            return "WARNING: Kafka channel security is OFF (security.protocol=" + protocol + "): no authentication, no "
                    + "encryption, no ACLs - anyone who reaches the broker reads and writes every topic. Development "
                    + "only (MIXRULE_INSECURE=1); see docs/security.md, \"Kafka\".";
        }
        return "Kafka: " + protocol + " as principal '" + user + "' (docs/security.md, \"Kafka\")";
    }
}
