package dev.mixrule.kafka;

import dev.mixrule.kernel.messaging.DeadLetterReason;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts the records a consumer throws on, {@link Meter#DEAD_LETTERS} by topic and {@link DeadLetterReason}, and
 * lets the failure through to the connector, whose dead-letter-queue strategy (kernel microprofile-config.properties)
 * forwards the record. One interceptor for every service, so the count and the forwarding cannot disagree.
 */
@CountsDeadLetters
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class DeadLetterCounting {
    private final MeterRegistry registry;

    @Inject
    public DeadLetterCounting(MeterRegistry registry) {
        this.registry = registry;
    }

    @AroundInvoke
    Object count(InvocationContext call) throws Exception {
        try {
            return call.proceed();
        } catch (RuntimeException e) {
            counter(registry, topicOf(call.getParameters()), DeadLetterReason.of(e)).increment();
            throw e;
        }
    }

    /** The dead-letter counter of one topic and reason. */
    public static Counter counter(MeterRegistry registry, String topic, DeadLetterReason reason) {
        return Counter.builder(Meter.DEAD_LETTERS.key()).description(Meter.DEAD_LETTERS.description())
                .tag(MeterLabels.TOPIC, topic).tag(MeterLabels.REASON, reason.label()).register(registry);
    }

    private static String topicOf(Object[] parameters) {
        for (Object p : parameters) {
            if (p instanceof ConsumerRecord<?, ?> r) {
                return r.topic();
            }
        }
        return "unknown";
    }
}
