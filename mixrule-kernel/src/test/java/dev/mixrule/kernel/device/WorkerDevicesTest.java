package dev.mixrule.kernel.device;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerDevicesTest {
    @Test
    void withoutGpusEveryWorkerTrainsOnTheCpu() {
        assertEquals(List.of(DeviceSpec.CPU, DeviceSpec.CPU, DeviceSpec.CPU), WorkerDevices.assign(0, 8, 3));
    }

    @Test
    void eachGpuGetsItsWorkersEachToldItsGpuExplicitly() {
        List<DeviceSpec> d = WorkerDevices.assign(2, 3, 1);
        assertEquals(List.of(DeviceSpec.gpu(0), DeviceSpec.gpu(0), DeviceSpec.gpu(0),
                DeviceSpec.gpu(1), DeviceSpec.gpu(1), DeviceSpec.gpu(1)), d);
        assertTrue(d.stream().noneMatch(s -> s.kind() == DeviceSpec.Kind.AUTO), "no worker is left to guess its device");
    }

    @Test
    void eightWorkersPerGpuOnAFourGpuHost() {
        List<DeviceSpec> d = WorkerDevices.assign(4, 8, 1);
        assertEquals(32, d.size());
        for (int g = 0; g < 4; g++) {
            assertEquals(8, Collections.frequency(d, DeviceSpec.gpu(g)), "workers on gpu(" + g + ")");
        }
        assertEquals(DeviceSpec.gpu(3), d.get(31));
    }

    @Test
    void refusesCountsThatMakeNoWorkersNamingTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerDevices.assign(-1, 8, 1)).getMessage()
                .startsWith("gpus (MIXRULE_GPUS): must be >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerDevices.assign(1, 0, 1)).getMessage()
                .startsWith("workers-per-gpu (MIXRULE_WORKERS_PER_GPU): must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerDevices.assign(0, 8, 0)).getMessage()
                .startsWith("trainers (MIXRULE_TRAINERS): must be >= 1"));
    }
}
