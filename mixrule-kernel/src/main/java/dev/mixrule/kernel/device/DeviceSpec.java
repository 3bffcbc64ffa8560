package dev.mixrule.kernel.device;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which device a trainer trains on, as configured ({@code mixrule.trainer.device}): {@code auto} (the engine's
 * default: the first GPU when the PyTorch native library sees one, else the CPU), {@code cpu}, or {@code gpu(N)}
 * (N counts from 0; {@code gpu} alone is {@code gpu(0)}). The DJL side resolves it (mixrule-core's TrainingDevices).
 *
 * @param gpu the GPU's index when kind is GPU, else -1
 */
public record DeviceSpec(Kind kind, int gpu) {
    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, -1);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, -1);

    private static final Pattern GPU = Pattern.compile("gpu(?:\\((\\d{1,4})\\))?");

    public enum Kind { AUTO, CPU, GPU }

    public DeviceSpec {
        if ((kind == Kind.GPU) != (gpu >= 0)) {
            throw new IllegalArgumentException("a GPU device needs an index >= 0, other devices none (got " + kind + ", " + gpu + ")");
        }
    }

    public static DeviceSpec gpu(int index) {
        return new DeviceSpec(Kind.GPU, index);
    }

    /** Parses auto, cpu, gpu or gpu(N) (case and surrounding blanks ignored); the error names {@code field}. */
    public static DeviceSpec parse(String field, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("cpu")) {
            return CPU;
        }
        Matcher m = GPU.matcher(t);
        if (m.matches()) {
            return gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException(field + ": '" + text + "' is not a device; use auto, cpu or gpu(N) (N from 0)");
    }

    /** The form {@link #parse} reads: auto, cpu or gpu(N). */
    @Override
    public String toString() {
        return kind == Kind.GPU ? "gpu(" + gpu + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
