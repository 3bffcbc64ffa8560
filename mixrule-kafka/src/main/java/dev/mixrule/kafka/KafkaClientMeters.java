package dev.mixrule.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

/**
 * Kafka's own client metrics of every consumer and producer the connector creates (it announces each as a CDI
 * event), through Micrometer's KafkaClientMetrics, with each consumer's group as the tag {@code group}: the
 * consumer lag ({@code kafka_consumer_fetch_manager_records_lag_max}) per topic and group. It replaces Quarkus'
 * own Kafka binder (off in mixrule-kernel's shared settings), which tags by client id only.
 */
@ApplicationScoped
public class KafkaClientMeters {
    public static final String GROUP = "group";

    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> bound = new CopyOnWriteArrayList<>();

    public KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void consumerCreated(@Observes Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer, Tags.of(GROUP, groupOf(consumer))));
    }

    void producerCreated(@Observes Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    private void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        bound.add(metrics);
    }

    /** The consumer's group id, "none" for a consumer without one. */
    static String groupOf(Consumer<?, ?> consumer) {
        try {
            return consumer.groupMetadata().groupId();
        } catch (KafkaException | UnsupportedOperationException e) {
            return "none";
        }
    }

    @PreDestroy
    void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
    }
}
