package dev.mixrule.kernel.device;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which device each trainer worker process of one host gets. On a GPU host: {@code workersPerGpu} workers on each
 * GPU, each told its GPU explicitly (gpu(0) for the first group, gpu(1) for the next, ...), all in the one trainer
 * consumer group. Several workers share a GPU because one JVM trains one candidate at a time (DJL has one gradient
 * collector per JVM) and a small candidate leaves a large GPU mostly idle; they pay only under CUDA MPS (issue 14:
 * 8 workers under MPS moved 6.7x the images of one on the reference CNN, plain time-slicing 0.96x). Without GPUs:
 * {@code cpuWorkers} workers, each on the CPU.
 */
public final class WorkerDevices {
    private WorkerDevices() {}

    /**
     * The device of each worker, worker 1 first.
     *
     * @param gpus GPUs to use on this host (0: train on the CPU)
     * @param workersPerGpu worker processes per GPU (>= 1; used when gpus > 0)
     * @param cpuWorkers worker processes when gpus is 0 (>= 1)
     */
    public static List<DeviceSpec> assign(int gpus, int workersPerGpu, int cpuWorkers) {
        if (gpus < 0) {
            throw new IllegalArgumentException("gpus (MIXRULE_GPUS): must be >= 0, got " + gpus);
        }
        if (gpus == 0) {
            if (cpuWorkers < 1) {
                throw new IllegalArgumentException("trainers (MIXRULE_TRAINERS): must be >= 1, got " + cpuWorkers);
            }
            return Collections.nCopies(cpuWorkers, DeviceSpec.CPU);
        }
        if (workersPerGpu < 1) {
            throw new IllegalArgumentException("workers-per-gpu (MIXRULE_WORKERS_PER_GPU): must be >= 1, got " + workersPerGpu);
        }
        List<DeviceSpec> devices = new ArrayList<>(gpus * workersPerGpu);
        for (int g = 0; g < gpus; g++) {
            for (int w = 0; w < workersPerGpu; w++) {
                devices.add(DeviceSpec.gpu(g));
            }
        }
        return List.copyOf(devices);
    }
}
