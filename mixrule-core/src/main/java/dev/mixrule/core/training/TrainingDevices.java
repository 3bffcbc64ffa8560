package dev.mixrule.core.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.mixrule.kernel.device.DeviceSpec;

/** A configured {@link DeviceSpec} as the DJL device a model and its data live on. Call on the {@link ComputeThread}. */
public final class TrainingDevices {
    private TrainingDevices() {}

    /** auto: the engine's default device; gpu(N) must be one the PyTorch engine sees (the error names {@code field}). */
    public static Device resolve(String field, DeviceSpec spec) {
        Engine engine = Engine.getInstance();
        return switch (spec.kind()) {
            case AUTO -> engine.defaultDevice();
            case CPU -> Device.cpu();
            case GPU -> {
                int gpus = engine.getGpuCount();
                if (spec.gpu() >= gpus) {
                    throw new IllegalArgumentException(field + ": " + spec + " is not there; the PyTorch engine sees " + gpus
                            + " GPU(s) (a CPU-only native library sees none: docs/gpu.md)");
                }
                yield Device.gpu(spec.gpu());
            }
        };
    }

    /** The name a TrainingResult reports: cpu or gpu(N), the form {@link DeviceSpec#parse} reads. */
    public static String name(Device device) {
        return device.isGpu() ? DeviceSpec.gpu(device.getDeviceId()).toString() : DeviceSpec.CPU.toString();
    }
}
