package dev.mixrule.kernel.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    @Test
    void medianRuleStopsACandidateBelowTheMedianOfOthersAtTheSameEpoch() {
        EarlyStopping es = new EarlyStopping("median", 2, 3, 2);
        for (String id : new String[] {"a", "b", "c"}) {
            double base = id.equals("a") ? 0.6 : id.equals("b") ? 0.7 : 0.8;
            assertFalse(es.report(id, 1, base));
            assertFalse(es.report(id, 2, base + 0.05), "too few other curves yet for " + id);
        }
        assertFalse(es.report("weak", 1, 0.2), "inside the grace period");
        assertTrue(es.report("weak", 2, 0.3), "0.3 is below the median 0.7 of the others at epoch 2");
        assertFalse(es.report("strong", 1, 0.5));
        assertFalse(es.report("strong", 2, 0.9), "0.9 is above the median");
    }

    @Test
    void medianRuleComparesBestSoFarNotTheLastValue() {
        EarlyStopping es = new EarlyStopping("median", 1, 1, 2);
        es.report("ref", 1, 0.5);
        es.report("ref", 2, 0.5);
        assertFalse(es.report("dip", 1, 0.8));
        assertFalse(es.report("dip", 2, 0.4), "its best so far (0.8) still beats the median (0.5)");
    }

    @Test
    void halvingKeepsTheTopThirdAtEachRung() {
        EarlyStopping es = new EarlyStopping("halving", 1, 1, 3);
        assertFalse(es.report("first", 1, 0.5), "alone at the rung, it goes on");
        assertTrue(es.report("second", 1, 0.4), "two at the rung: only the best goes on");
        assertFalse(es.report("third", 1, 0.9));
        assertFalse(es.report("third", 2, 0.1), "epoch 2 is no rung (rungs 1, 3, 9)");
        assertFalse(es.report("third", 3, 0.95));
        assertTrue(es.report("first", 3, 0.6), "below the best at rung 3");
    }

    @Test
    void noneNeverStopsAndUnknownRulesAreRefused() {
        EarlyStopping es = EarlyStopping.none();
        for (int e = 1; e <= 5; e++) {
            assertFalse(es.report("x", e, 0.0));
            assertFalse(es.report("y", e, 1.0));
        }
        var ex = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("hyperband", 1, 1, 3));
        assertTrue(ex.getMessage().contains("hyperband"));
        assertEquals("none", es.kind());
    }
}
