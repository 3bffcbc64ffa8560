package dev.mixrule.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingResultMetricsTest {
    static final TrainingResult FULL = TrainingResult.newBuilder()
            .setMetrics(TrainingMetrics.newBuilder().setValidAccuracy(0.8).setTrainSeconds(12).setTrainLoss(0.4)
                    .setTrainAccuracy(0.85).setTrainImagesPerSecond(900).setEpochsCompleted(2))
            .setCost(ModelCost.newBuilder().setParameters(1000).setMacs(5000).setBpFraction(0.25).setExactGradientFraction(0.1)
                    .putRuleFractions("bp", 0.25).putRuleFractions("fa", 0.75))
            .build();

    @Test
    void everyGenomeAndCostMetricAndValidAccuracyComesFromTheTrainingResult() {
        Map<String, Double> m = TrainingResultMetrics.of(FULL);
        for (Metric metric : Metric.values()) {
            boolean fromTraining = metric.source() == Metric.Source.GENOME_AND_COST || metric == Metric.VALID_ACCURACY;
            assertEquals(fromTraining, m.containsKey(metric.key()), metric.key());
            if (fromTraining) {
                assertTrue(metric.accepts(m.get(metric.key())), metric.key() + " = " + m.get(metric.key()));
            }
        }
        assertEquals(0.8, m.get("valid_accuracy"));
        assertEquals(1000.0, m.get("parameters"));
        assertEquals(0.75, m.get(Metric.share("fa")));
    }

    @Test
    void aResultWithoutMetricsOrCostGivesNoNumbers() {
        assertTrue(TrainingResultMetrics.of(TrainingResult.getDefaultInstance()).isEmpty());
    }

    @Test
    void rangesRefuseOutOfRangeAndNonFiniteValues() {
        assertFalse(Metric.VALID_ACCURACY.accepts(1.5));
        assertFalse(Metric.TEST_ACCURACY.accepts(Double.NaN));
        assertFalse(Metric.PARAMETERS.accepts(-1));
        assertTrue(Metric.PARAMETERS.accepts(1e9));
        assertEquals(Metric.Direction.MINIMIZE, Metric.BP_FRACTION.direction());
    }
}
