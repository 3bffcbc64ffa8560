package dev.mixrule.trainer;

import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;

/**
 * The trainer's meters (kernel {@link Meter}): every finished candidate by outcome, and for those that trained
 * (succeeded or stopped early) the training loop's wall time and images per second, by the genome's rule set.
 * Fixed buckets (CPU LeNet-size candidates take seconds, NB-201 cells on a GPU minutes to hours) keep p50/p99
 * computable in Prometheus at a few series per rule set.
 */
@ApplicationScoped
public class TrainerMetrics {
    static final Duration[] TRAINING_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600);
    static final double[] THROUGHPUT_BUCKETS = {10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000};

    private final MeterRegistry registry;

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one result this trainer is about to publish; a candidate that trained also gives its time and speed. */
    void trained(TrainingResult r) {
        String rules = MeterLabels.ruleSet(r.getCost().getRuleFractionsMap().keySet());
        Counter.builder(Meter.TRAININGS.key()).description(Meter.TRAININGS.description())
                .tag(MeterLabels.RULES, rules).tag(MeterLabels.STATUS, status(r.getStatus())).register(registry).increment();
        if (r.getStatus() == TrainingStatus.TRAINING_STATUS_FAILED) {
            return;
        }
        Timer.builder(Meter.TRAINING_TIME.key()).description(Meter.TRAINING_TIME.description()).tag(MeterLabels.RULES, rules)
                .serviceLevelObjectives(TRAINING_BUCKETS).register(registry)
                .record(Duration.ofNanos(Math.round(r.getMetrics().getTrainSeconds() * 1e9)));
        if (r.getMetrics().getTrainImagesPerSecond() <= 0) {
            return; // not measured (the simulated trainer)
        }
        DistributionSummary.builder(Meter.TRAINING_THROUGHPUT.key()).description(Meter.TRAINING_THROUGHPUT.description())
                .tag(MeterLabels.RULES, rules).serviceLevelObjectives(THROUGHPUT_BUCKETS).register(registry)
                .record(r.getMetrics().getTrainImagesPerSecond());
    }

    /** "succeeded", "early_stopped", "failed". */
    static String status(TrainingStatus s) {
        return s.name().substring("TRAINING_STATUS_".length()).toLowerCase(Locale.ROOT);
    }

    private static Duration[] seconds(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofSeconds(values[i]);
        }
        return out;
    }
}
