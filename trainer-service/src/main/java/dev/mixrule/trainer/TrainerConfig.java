package dev.mixrule.trainer;

import dev.mixrule.kernel.simulation.RunMode;
import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** mixrule.trainer.* (defaults in application.properties, the one place they are set). */
@ConfigMapping(prefix = "mixrule.trainer")
public interface TrainerConfig {
    /** Replica name in training results; host:pid when empty. */
    Optional<String> id();

    /** real trains with DJL; simulated scores with the synthetic objective. */
    RunMode mode();

    /** Simulated mode: wall time of one epoch in milliseconds. */
    long simulatedEpochMs();
}
