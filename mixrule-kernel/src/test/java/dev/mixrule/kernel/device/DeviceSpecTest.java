package dev.mixrule.kernel.device;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceSpecTest {
    static final String FIELD = "mixrule.trainer.device";

    @Test
    void readsAutoCpuAndGpusWithTheirIndex() {
        assertEquals(DeviceSpec.AUTO, DeviceSpec.parse(FIELD, "auto"));
        assertEquals(DeviceSpec.CPU, DeviceSpec.parse(FIELD, " CPU "));
        assertEquals(DeviceSpec.gpu(0), DeviceSpec.parse(FIELD, "gpu"));
        assertEquals(DeviceSpec.gpu(3), DeviceSpec.parse(FIELD, "gpu(3)"));
        assertEquals(DeviceSpec.gpu(12), DeviceSpec.parse(FIELD, "GPU(12)"));
    }

    @Test
    void printsTheFormItReads() {
        for (String s : List.of("auto", "cpu", "gpu(0)", "gpu(7)")) {
            assertEquals(s, DeviceSpec.parse(FIELD, s).toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tpu", "gpu()", "gpu(-1)", "gpu(x)", "gpu 1", "cuda:0", "gpu(1", "cpu(0)"})
    void refusesAnythingElseNamingTheSettingAndTheValue(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(FIELD, bad));
        assertTrue(e.getMessage().startsWith(FIELD + ": '" + bad + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("auto, cpu or gpu(N)"), e.getMessage());
    }

    @Test
    void aGpuNeedsAnIndexAndNothingElseHasOne() {
        assertThrows(IllegalArgumentException.class, () -> new DeviceSpec(DeviceSpec.Kind.GPU, -1));
        assertThrows(IllegalArgumentException.class, () -> new DeviceSpec(DeviceSpec.Kind.CPU, 0));
    }
}
