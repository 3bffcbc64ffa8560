package dev.mixrule.trainer;

import dev.mixrule.kernel.simulation.RunMode;
import dev.mixrule.kernel.device.DeviceSpec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
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

    /**
     * Where this worker trains: auto (the first GPU the PyTorch library sees, else the CPU), cpu, or gpu(N). On a
     * host with several workers per GPU each gets its GPU explicitly (the local stack: MIXRULE_GPUS and
     * MIXRULE_WORKERS_PER_GPU; docs/gpu.md, "Packing").
     */
    @WithConverter(DeviceSpecConverter.class)
    DeviceSpec device();
}
