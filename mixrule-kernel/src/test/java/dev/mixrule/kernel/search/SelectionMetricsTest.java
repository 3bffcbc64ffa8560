package dev.mixrule.kernel.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionMetricsTest {
    @Test
    void validationAndGenomeMetricsSelect() {
        for (String m : List.of("valid_accuracy", "valid_apgd_accuracy", "valid_example_ece", "parameters", "macs",
                "bp_fraction", "exact_gradient_fraction", "train_seconds", "share_fa")) {
            assertTrue(SelectionMetrics.selectable(m), m);
            assertTrue(SelectionMetrics.refusal(m).isEmpty(), m);
        }
    }

    @Test
    void testSplitMetricsNeverSelectAndTheRefusalNamesTheValidationMetric() {
        for (String m : List.of("test_accuracy", "clean_accuracy", "fgsm_accuracy", "pgd_accuracy", "apgd_accuracy",
                "square_accuracy", "transfer_accuracy", "robust_accuracy", "worst_case_accuracy", "noise_accuracy",
                "pgd_accuracy_eps0.1000")) {
            assertFalse(SelectionMetrics.selectable(m), m);
            assertTrue(SelectionMetrics.onTestSplit(m), m);
            String why = SelectionMetrics.refusal(m).orElseThrow();
            assertTrue(why.contains("test split") && why.contains("'" + SelectionMetrics.validCounterpart(m) + "'"), why);
        }
        assertEquals("valid_accuracy", SelectionMetrics.validCounterpart("test_accuracy"));
        assertEquals("valid_apgd_accuracy", SelectionMetrics.validCounterpart("apgd_accuracy"));
    }

    @Test
    void anExternalMetricSelectsOnlyWhenNamedValid() {
        assertFalse(SelectionMetrics.selectable("example_ece"));
        assertFalse(SelectionMetrics.selectable("valid_"), "a bare prefix names nothing");
        String why = SelectionMetrics.refusal("example_ece").orElseThrow();
        assertTrue(why.contains("valid_") && !why.contains("test split"), why);
        assertTrue(SelectionMetrics.selectable("valid_example_ece"));
    }

    @Test
    void everyDefaultSelectionMetricIsAValidationMetric() {
        assertTrue(SelectionMetrics.selectable(SelectionMetrics.VALID_ACCURACY));
        assertTrue(SelectionMetrics.selectable(SelectionMetrics.VALID_APGD_ACCURACY));
        for (String part : SelectionMetrics.DEFAULT_PARETO.split(",")) {
            assertTrue(SelectionMetrics.selectable(part.replaceFirst("^[+-]", "")), part);
        }
    }

    @Test
    void aStrategyIsToldOnlySelectableMetrics() {
        Map<String, Double> all = new LinkedHashMap<>();
        all.put("test_accuracy", 0.99);
        all.put("valid_accuracy", 0.5);
        all.put("apgd_accuracy", 0.4);
        all.put("parameters", 100.0);
        assertEquals(Map.of("valid_accuracy", 0.5, "parameters", 100.0), SelectionMetrics.selectableOnly(all));
    }

    @Test
    void theAnnotationConstantsAreTheMetricNames() {
        assertEquals(dev.mixrule.kernel.metrics.Metric.VALID_ACCURACY.key(), SelectionMetrics.VALID_ACCURACY);
        assertEquals(dev.mixrule.kernel.metrics.Metric.VALID_APGD_ACCURACY.key(), SelectionMetrics.VALID_APGD_ACCURACY);
    }
}
