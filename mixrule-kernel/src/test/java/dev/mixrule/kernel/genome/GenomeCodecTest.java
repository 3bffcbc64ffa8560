package dev.mixrule.kernel.genome;

import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeCodecTest {
    static final String LENET = "chain:pad2|conv5x5-6-p0-relu@fa|maxpool2|conv5x5-16-p0-relu@fa|maxpool2"
            + "|conv5x5-120-p0-relu@usf|dense-84-relu@frsf|dense-10@brsf";

    @Test
    void canonicalTextRoundTrips() {
        Genome g = GenomeCodec.fromCanonical(LENET);
        assertEquals(LENET, GenomeCodec.toCanonical(g));
        assertEquals(LearningRule.LEARNING_RULE_FA, g.getChain().getLayers(2).getRule());
    }

    @Test
    void jsonAndProtoRoundTripToTheSameGenome() throws Exception {
        Genome g = GenomeCodec.fromCanonical(LENET);
        assertEquals(g, GenomeCodec.fromJson(GenomeCodec.toJson(g)));
        assertEquals(g, Genome.parseFrom(g.toByteArray()));
        assertEquals(g, GenomeCodec.parse("{\"canonical\": \"" + LENET + "\"}"));
    }

    @Test
    void genomeIdIsTheFirst16HexDigitsOfSha256OfTheCanonicalText() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(LENET.getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(d).substring(0, 16), GenomeCodec.id(GenomeCodec.fromCanonical(LENET)));
        assertTrue(GenomeCodec.isGenomeId(GenomeCodec.id(GenomeCodec.fromCanonical(LENET))));
    }

    @Test
    void changingOneLayersRuleChangesTheId() {
        String other = LENET.replace("dense-10@brsf", "dense-10@bp");
        assertNotEquals(GenomeCodec.id(GenomeCodec.fromCanonical(LENET)), GenomeCodec.id(GenomeCodec.fromCanonical(other)));
    }

    @Test
    void badTextIsRejectedNamingTheLayer() {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class,
                () -> GenomeCodec.fromCanonical("chain:pad0|conv3x3-8-p1@fa|banana|dense-10@bp"));
        assertTrue(e.getMessage().contains("layers[1]") && e.getMessage().contains("banana"), e.getMessage());
        InvalidGenomeException r = assertThrows(InvalidGenomeException.class,
                () -> GenomeCodec.fromCanonical("chain:pad0|dense-10@magic"));
        assertTrue(r.getMessage().contains("layers[0].rule") && r.getMessage().contains("magic"), r.getMessage());
    }

    @Test
    void jsonWithAWrongGenomeIdIsRejected() {
        String json = GenomeCodec.toJson(GenomeCodec.fromCanonical(LENET)).replaceFirst("\"genome_id\": \"[0-9a-f]+\"",
                "\"genome_id\": \"0000000000000000\"");
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> GenomeCodec.fromJson(json));
        assertTrue(e.getMessage().contains("genome_id"), e.getMessage());
    }

    @Test
    void everySampledGenomeIsValidAndRoundTrips() {
        ChainSpace space = new ChainSpace(new InputShape(1, 28, 28, 10), java.util.List.of(Rule.values()));
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            Genome g = space.sample(r);
            ChainPlan.of(g, new InputShape(1, 28, 28, 10));
            assertEquals(RuleSemantics.canonical(g), GenomeCodec.fromCanonical(GenomeCodec.toCanonical(g)));
        }
    }
}
