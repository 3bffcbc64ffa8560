package dev.mixrule.cli.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.kernel.device.WorkerDevices;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack starts one trainer process per assigned device and tells each its device explicitly. */
class TrainerDevicesTest {
    @TempDir
    Path run;

    private LocalStack stack(List<DeviceSpec> devices) {
        return new LocalStack(new StackConfig(run, run, 1, 2, null, 6379, 3, 4, 5, 6, 7, 8, "t:", devices), System.err);
    }

    @Test
    void twoGpusWithTwoWorkersEachAreFourTrainersEachToldItsGpu() {
        LocalStack s = stack(WorkerDevices.assign(2, 2, 1));
        List<String> trainers = s.processNames().stream().filter(n -> n.startsWith("trainer-service")).toList();
        assertEquals(List.of("trainer-service-1", "trainer-service-2", "trainer-service-3", "trainer-service-4"), trainers);
        assertEquals(List.of(DeviceSpec.gpu(0), DeviceSpec.gpu(0), DeviceSpec.gpu(1), DeviceSpec.gpu(1)),
                trainers.stream().map(s::trainerDevice).toList());
        assertEquals(4, trainers.stream().map(s::httpPort).distinct().count(), "each its own HTTP port");
    }

    @Test
    void withoutGpusTheTrainersAreTheCpuReplicas() {
        LocalStack one = new LocalStack(new StackConfig(run, run, 1, 2, null, 6379, 3, 4, 5, 6, 7, 8, "t:", 1), System.err);
        assertEquals(DeviceSpec.CPU, one.trainerDevice("trainer-service"));
        assertEquals(List.of("trainer-service"), one.processNames().stream().filter(n -> n.startsWith("trainer")).toList());
    }
}
