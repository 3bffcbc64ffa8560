package dev.mixrule.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluatorId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricContractsTest {
    static EvaluationResult result(String metric, double value) {
        return EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("mine").setVersion("1"))
                .putMetrics("test_accuracy", 0.5).putMetrics(metric, value).build();
    }

    @Test
    void honestMetricsPass() {
        assertEquals(Optional.empty(), MetricContracts.violation(result("valid_apgd_accuracy", 0.31)));
        assertEquals(Optional.empty(), MetricContracts.violation(result("my_calibration_error", 7.5)), "free-form names are free");
        assertEquals(Optional.empty(), MetricContracts.violation(result("valid_worst_case_accuracy", 0)));
    }

    @Test
    void outOfRangeAndNonFiniteValuesAreRefusedNamingTheMetric() {
        assertTrue(MetricContracts.violation(result("test_accuracy", 1.7)).orElseThrow().contains("'test_accuracy' = 1.7"));
        assertTrue(MetricContracts.violation(result("valid_accuracy_x", Double.NaN)).orElseThrow().contains("not a finite"));
        assertTrue(MetricContracts.violation(result("valid_apgd_accuracy", -0.1)).orElseThrow().contains("outside its range"));
        assertTrue(MetricContracts.violation(result("my_accuracy", 3)).orElseThrow().contains("[0, 1]"));
        assertTrue(MetricContracts.violation(result("x", Double.POSITIVE_INFINITY)).isPresent());
    }

    @Test
    void namesTheTrainingResultOwnsAreRefused() {
        for (String owned : new String[] {"valid_accuracy", "parameters", "bp_fraction", "share_fa", "train_seconds"}) {
            assertTrue(MetricContracts.violation(result(owned, 0.5)).orElseThrow().contains("every training result owns"), owned);
        }
    }
}
