package dev.mixrule.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.kernel.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorsTest {
    @Test
    void aRetiredNameIsSkippedWithTheReasonAndTheOthersRun() {
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of("accuracy", "noise"), Evaluators.active(List.of(" accuracy", "cost", "", "noise"), warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("'cost' is retired") && warnings.get(0).contains("training result"), warnings.get(0));
    }

    @Test
    void askingForARetiredEvaluatorSaysItIsRetired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluators.get("cost"));
        assertTrue(e.getMessage().contains("retired"), e.getMessage());
    }

    @Test
    void aCutDownProtocolRefusesMoreImagesOrAnAttackTheProtocolLacksNamingTheField() {
        RobustnessEvaluator.Split valid = RobustnessEvaluator.Split.VALID;
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Evaluators.get("robustness", "screening", valid, 501, List.of()));
        assertTrue(size.getMessage().startsWith("examples must be in 0..500"), size.getMessage());
        IllegalArgumentException attack = assertThrows(IllegalArgumentException.class,
                () -> Evaluators.get("robustness", "screening", valid, 0, List.of("apgd", "fab_t")));
        assertTrue(attack.getMessage().startsWith("attacks: 'fab_t' is not an attack of the screening protocol"), attack.getMessage());
        assertEquals("robustness", Evaluators.get("robustness", "screening", valid, 200, List.of("apgd")).name());
    }

    @Test
    void noBuiltInEvaluatorPublishesAMetricOfTheTrainingResult() {
        // the names TrainingResultMetrics owns (GENOME_AND_COST and valid_accuracy) are never an evaluator's
        for (String name : Evaluators.names()) {
            assertTrue(!Evaluators.RETIRED.containsKey(name), name);
        }
        assertEquals(Metric.Source.GENOME_AND_COST, Metric.BP_FRACTION.source());
    }
}
