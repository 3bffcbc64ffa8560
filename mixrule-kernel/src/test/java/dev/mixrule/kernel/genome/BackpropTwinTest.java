package dev.mixrule.kernel.genome;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackpropTwinTest {
    @Test
    void everyRuleBecomesBpAndTheArchitectureStays() {
        assertEquals("chain:pad2|conv5x5-6-p0-relu@bp|maxpool2|conv5x5-16-p0-relu@bp|maxpool2|dense-84-relu@bp|dense-10@bp",
                twin("chain:pad2|conv5x5-6-p0-relu@fa|maxpool2|conv5x5-16-p0-relu@hebbian|maxpool2|dense-84-relu@usf|dense-10@dfa"));
    }

    @Test
    void nb201TwinSetsEveryConvEdgeAndFixedLayerToBp() {
        String twin = twin("nb201:C16:N5:stem@fa:reduce@usf:head@dfa:|nor_conv_3x3~0@fa|+|nor_conv_1x1~0@frsf|skip_connect~1|+|"
                + "avg_pool_3x3~0|none~1|nor_conv_3x3~2@brsf|");
        assertEquals("nb201:C16:N5:stem@bp:reduce@bp:head@bp:|nor_conv_3x3~0@bp|+|nor_conv_1x1~0@bp|skip_connect~1|+|"
                + "avg_pool_3x3~0|none~1|nor_conv_3x3~2@bp|", twin);
    }

    @Test
    void anAllBpGenomeIsItsOwnTwin() {
        String bp = "chain:pad0|conv3x3-8-p1-relu@bp|maxpool2|dense-4@bp";
        assertEquals(bp, twin(bp));
    }

    static String twin(String canonical) {
        return GenomeCodec.toCanonical(BackpropTwin.of(GenomeCodec.parse(canonical)));
    }
}
