package dev.mixrule.sampler;

import dev.mixrule.sampler.SamplerStore.Kind;
import dev.mixrule.sampler.SamplerStore.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeStateCodecTest {
    @Test
    void metricsAndOutcomesRoundTripAsProtobuf() {
        Map<String, Double> m = Map.of("valid_accuracy", 0.5, "parameters", 1234.0, "share_fa", 0.25);
        String stored = GenomeStateCodec.metrics(m);
        assertFalse(GenomeStateCodec.isLegacy(stored), stored);
        assertEquals(m, GenomeStateCodec.readMetrics(stored));
        for (Kind kind : Kind.values()) {
            Outcome o = new Outcome(kind, m, kind == Kind.OK ? "" : "diverged\nat epoch 2");
            assertEquals(o, GenomeStateCodec.readOutcome(GenomeStateCodec.outcome(o)));
        }
        assertEquals(Map.of(), GenomeStateCodec.readMetrics(GenomeStateCodec.metrics(Map.of())));
    }

    @Test
    void theOlderTextIsStillRead() {
        assertTrue(GenomeStateCodec.isLegacy("valid_accuracy=0.5;parameters=1234.0"));
        assertEquals(Map.of("valid_accuracy", 0.5, "parameters", 1234.0),
                GenomeStateCodec.readMetrics("valid_accuracy=0.5;parameters=1234.0"));
        assertEquals(Map.of("macs", Double.NaN), GenomeStateCodec.readMetrics("macs=NaN"));
        assertEquals(Map.of(), GenomeStateCodec.readMetrics(""));
        assertEquals(new Outcome(Kind.OK, Map.of("valid_accuracy", 0.75), ""),
                GenomeStateCodec.readOutcome("OK\nvalid_accuracy=0.75\n"));
        assertEquals(new Outcome(Kind.FAILED, Map.of(), "diverged\nat epoch 2"),
                GenomeStateCodec.readOutcome("FAILED\n\ndiverged\nat epoch 2"));
        assertEquals(new Outcome(Kind.REUSED, Map.of("valid_accuracy", 0.5), ""),
                GenomeStateCodec.readOutcome("REUSED\nvalid_accuracy=0.5\n"));
    }
}
