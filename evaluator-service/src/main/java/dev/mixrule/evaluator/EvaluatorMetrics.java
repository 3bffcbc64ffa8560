package dev.mixrule.evaluator;

import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The evaluator's meter (kernel {@link Meter#EVALUATION_TIME}): each evaluator's wall time on one candidate, by its
 * name and whether it measured (succeeded) or not (failed). Buckets from a tenth of a second (accuracy on a subset)
 * to an hour (the robustness protocol on the full test split).
 */
@ApplicationScoped
public class EvaluatorMetrics {
    static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(300),
        Duration.ofSeconds(1200), Duration.ofSeconds(3600)};

    private final MeterRegistry registry;

    public EvaluatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The evaluator, timing each of its evaluations. */
    Evaluator timed(Evaluator e) {
        return new Timed(e, this);
    }

    void record(String evaluator, boolean succeeded, long nanos) {
        Timer.builder(Meter.EVALUATION_TIME.key()).description(Meter.EVALUATION_TIME.description())
                .tag(MeterLabels.EVALUATOR, evaluator).tag(MeterLabels.STATUS, succeeded ? "succeeded" : "failed")
                .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.ofNanos(nanos));
    }

    /** Delegates everything; times {@link #evaluate}, which runs on the compute thread after the weights loaded. */
    private record Timed(Evaluator inner, EvaluatorMetrics meters) implements Evaluator {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String version() {
            return inner.version();
        }

        @Override
        public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
            long start = System.nanoTime();
            boolean succeeded = false;
            try {
                Result r = inner.evaluate(model, data, settings);
                succeeded = !r.failed();
                return r;
            } finally {
                meters.record(inner.name(), succeeded, System.nanoTime() - start);
            }
        }
    }
}
