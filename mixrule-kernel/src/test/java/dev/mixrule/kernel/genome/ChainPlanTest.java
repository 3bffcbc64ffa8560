package dev.mixrule.kernel.genome;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainPlanTest {
    static final InputShape FMNIST = new InputShape(1, 28, 28, 10);

    @Test
    void leNetOnPaddedFashionMnistHasItsTextbookParameterCount() {
        ChainPlan p = ChainPlan.of(GenomeCodec.fromCanonical(GenomeCodecTest.LENET), FMNIST);
        // 156 + 2,416 + 48,120 + 10,164 + 850
        assertEquals(61_706, p.parameters());
        assertEquals(1, p.steps().get(4).outHeight(), "conv5x5-120 sees 5x5 and gives 1x1");
    }

    @Test
    void ruleFractionsAreParameterSharesAndSumToOne() {
        ChainPlan p = ChainPlan.of(GenomeCodec.fromCanonical(GenomeCodecTest.LENET), FMNIST);
        Map<Rule, Double> f = p.ruleFractions();
        assertEquals(0.0, p.bpFraction(), 1e-12);
        assertEquals((156 + 2_416) / 61_706.0, f.get(Rule.FA), 1e-12);
        assertEquals(48_120 / 61_706.0, f.get(Rule.USF), 1e-12);
        assertEquals(1.0, f.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        assertEquals(java.util.List.of("brsf", "fa", "frsf", "usf"), p.rulesUsed());
    }

    @Test
    void aKernelThatDoesNotFitItsInputIsRejectedWithTheSizes() {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> ChainPlan.of(
                GenomeCodec.fromCanonical("chain:pad0|maxpool4|maxpool4|conv7x7-8-p0@bp|dense-10@bp"), FMNIST));
        assertTrue(e.getMessage().contains("layers[2].kernel") && e.getMessage().contains("1x1"), e.getMessage());
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> ChainPlan.of(
                GenomeCodec.fromCanonical("chain:pad9|conv3x3-2000-p1@bp|dense-7-relu@fa"), FMNIST));
        String m = e.getMessage();
        assertTrue(m.contains("input_padding") && m.contains("layers[0].width") && m.contains("layers[1].width")
                && m.contains("layers[1].activation"), m);
        assertEquals(4, e.violations().size(), m);
    }

    @Test
    void convAfterDenseAndMissingRulesAreRejected() {
        dev.mixrule.proto.Genome g = GenomeCodec.fromCanonical("chain:pad0|dense-32@bp|conv3x3-8-p1@bp|dense-10@bp");
        assertTrue(assertThrows(InvalidGenomeException.class, () -> ChainPlan.of(g, FMNIST)).getMessage()
                .contains("conv after dense"));
        dev.mixrule.proto.Genome noRule = g.toBuilder().setChain(g.getChain().toBuilder().setLayers(0,
                g.getChain().getLayers(0).toBuilder().clearRule())).build();
        assertTrue(assertThrows(InvalidGenomeException.class, () -> ChainPlan.of(noRule, FMNIST)).getMessage()
                .contains("layers[0].rule: missing"));
    }
}
