package dev.mixrule.kernel.genome;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Genomes that train identically are one genome: one canonical text, one id. */
class RuleSemanticsTest {
    static String canon(String text) {
        return GenomeCodec.toCanonical(GenomeCodec.fromCanonical(text));
    }

    static String id(String text) {
        return GenomeCodec.id(GenomeCodec.fromCanonical(text));
    }

    @Test
    void theFirstLayersLabelCannotChangeTrainingSoAllItsNonHebbianLabelsShareOneId() {
        String base = "chain:pad2|conv5x5-6-p0-relu@%s|maxpool2|conv5x5-16-p0-relu@fa|maxpool2|dense-84-relu@usf|dense-10@bp";
        String expected = id(String.format(base, "fa"));
        for (String r : new String[] {"bp", "usf", "brsf", "frsf", "dfa"}) {
            assertEquals(expected, id(String.format(base, r)), r + " on the first layer");
        }
        assertEquals(String.format(base, "fa"), canon(String.format(base, "bp")), "takes the label of the nearest layer above");
        assertNotEquals(expected, id(String.format(base, "hebbian")), "hebbian learns differently: another network");
    }

    @Test
    void aSingleRuleGenomeStaysSingleRule() {
        for (String r : new String[] {"bp", "fa", "usf", "brsf", "frsf", "dfa", "hebbian"}) {
            String t = "chain:pad0|conv3x3-8-p1-relu@" + r + "|maxpool2|dense-32-relu@" + r + "|dense-10@" + r;
            assertEquals(t, canon(t), r);
        }
    }

    @Test
    void layersBelowAHebbianLayerNeverLearnSoTheirLabelsAreOne() {
        String a = "chain:pad0|conv3x3-8-p1-relu@bp|conv3x3-8-p1-relu@fa|maxpool2|dense-32-relu@hebbian|dense-10@usf";
        String b = "chain:pad0|conv3x3-8-p1-relu@usf|conv3x3-8-p1-relu@frsf|maxpool2|dense-32-relu@hebbian|dense-10@usf";
        assertEquals(id(a), id(b));
        assertEquals("chain:pad0|conv3x3-8-p1-relu@usf|conv3x3-8-p1-relu@usf|maxpool2|dense-32-relu@hebbian|dense-10@usf", canon(a));
        assertTrue(RuleSemantics.replacements(GenomeCodec.fromCanonical(a)).get(0).toString().contains("cannot change training"));
    }

    @Test
    void aDfaLayerBelowAHebbianLayerStillFeedsTheLayersBelowItSoItIsNotFree() {
        String a = "chain:pad0|conv3x3-8-p1-relu@bp|conv3x3-8-p1-relu@dfa|maxpool2|dense-32-relu@hebbian|dense-10@bp";
        String b = "chain:pad0|conv3x3-8-p1-relu@bp|conv3x3-8-p1-relu@fa|maxpool2|dense-32-relu@hebbian|dense-10@bp";
        assertNotEquals(id(a), id(b));
        assertEquals(a.replace("p1-relu@bp|conv3x3", "p1-relu@dfa|conv3x3"), canon(a), "first layer: label of the nearest layer above");
    }

    @Test
    void canonicalisationIsIdempotent() {
        String t = "chain:pad0|conv3x3-8-p1-relu@frsf|conv3x3-8-p1-relu@brsf|maxpool2|dense-32-relu@hebbian|dense-10@dfa";
        assertEquals(canon(t), canon(canon(t)));
    }

    @Test
    void nb201StemAndEdgesOffEveryPathAreCanonical() {
        String live = "|nor_conv_3x3~0@fa|+|nor_conv_3x3~0@fa|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1@fa|skip_connect~2|";
        assertEquals(id("nb201:C16:N5:stem@bp:reduce@fa:head@fa:" + live), id("nb201:C16:N5:stem@usf:reduce@fa:head@fa:" + live));
        // node 2 reaches the output only through none: the conv into node 2 is on no path
        String dead = "|nor_conv_3x3~0@fa|+|nor_conv_3x3~0@%s|none~1|+|skip_connect~0|nor_conv_3x3~1@fa|none~2|";
        assertEquals(id("nb201:C16:N5:stem@fa:reduce@fa:head@fa:" + String.format(dead, "bp")),
                id("nb201:C16:N5:stem@fa:reduce@fa:head@fa:" + String.format(dead, "hebbian")));
    }
}
