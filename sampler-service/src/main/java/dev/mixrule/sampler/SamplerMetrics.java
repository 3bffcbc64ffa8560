package dev.mixrule.sampler;

import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.sampler.SamplerStore.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The sampler's meters (kernel {@link Meter}): proposals, completions and failures per experiment, counted where
 * they happen live; a restart's replay of stored outcomes counts nothing again.
 */
@ApplicationScoped
public class SamplerMetrics {
    private final MeterRegistry registry;

    public SamplerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code n} candidates of the experiment were proposed (stored, to be sent). */
    void proposed(String experimentId, int n) {
        counter(Meter.PROPOSALS, experimentId).increment(n);
    }

    /** One candidate of the experiment finished in flight, with this outcome. */
    void finished(String experimentId, Kind outcome) {
        counter(Meter.COMPLETIONS, experimentId).increment();
        if (outcome == Kind.FAILED) {
            counter(Meter.FAILURES, experimentId).increment();
        }
    }

    private Counter counter(Meter meter, String experimentId) {
        return Counter.builder(meter.key()).description(meter.description()).tag(MeterLabels.EXPERIMENT, experimentId)
                .register(registry);
    }
}
