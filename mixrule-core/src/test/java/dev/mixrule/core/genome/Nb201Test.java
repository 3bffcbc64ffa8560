package dev.mixrule.core.genome;

import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.InvalidGenomeException;
import dev.mixrule.kernel.genome.Nb201Plan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.space.Nb201Space;
import dev.mixrule.proto.Genome;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Nb201Test {
    static final String BEST = "nb201:C16:N5:stem@bp:reduce@bp:head@bp:|nor_conv_3x3~0@fa|+|nor_conv_3x3~0@usf"
            + "|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1@frsf|skip_connect~2|";
    static final InputShape CIFAR = new InputShape(3, 32, 32, 10);

    @Test
    void canonicalTextExtendsTheNasBench201StringAndRoundTrips() {
        Genome g = GenomeCodec.fromCanonical(BEST);
        assertEquals(BEST, GenomeCodec.toCanonical(g));
        assertEquals(g, GenomeCodec.fromJson(GenomeCodec.toJson(g)));
        String plain = BEST.substring(BEST.indexOf(":|") + 1).replaceAll("@[a-z]+", "");
        assertEquals("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", plain);
    }

    @Test
    void defaultsAreWrittenOutSoEqualGenomesShareAnId() {
        Genome explicit = GenomeCodec.fromCanonical(BEST);
        Genome implicit = explicit.toBuilder().setNb201(explicit.getNb201().toBuilder().setChannels(0).setCellsPerStage(0)).build();
        assertEquals(GenomeCodec.id(explicit), GenomeCodec.id(implicit));
    }

    @Test
    void theResNetCellHasNasBench201sParameterCountPlusBatchNormAccounting() {
        // the NAS-Bench-201 'ResNet-like' cell: conv3x3 then conv3x3 on one path, skip on another
        Nb201Plan p = Nb201Plan.of(GenomeCodec.fromCanonical("nb201:C16:N5:stem@bp:reduce@bp:head@bp:|nor_conv_3x3~0@bp|+|"
                + "none~0|nor_conv_3x3~1@bp|+|skip_connect~0|none~1|skip_connect~2|"), CIFAR);
        // stem 432+32; per stage 5 cells x 2 convs; reductions; head BN 128 + linear 650
        long stage1 = 5 * 2 * (9 * 16 * 16 + 32);
        long stage2 = 5 * 2 * (9 * 32 * 32 + 64);
        long stage3 = 5 * 2 * (9 * 64 * 64 + 128);
        long red1 = (9 * 16 * 32 + 64) + (9 * 32 * 32 + 64) + 16 * 32;
        long red2 = (9 * 32 * 64 + 128) + (9 * 64 * 64 + 128) + 32 * 64;
        assertEquals(432 + 32 + stage1 + stage2 + stage3 + red1 + red2 + 128 + 650, p.parameters());
        assertEquals(1.0, p.bpFraction(), 1e-12);
    }

    @Test
    void rulesAreSharedByParameterCount() {
        Nb201Plan p = Nb201Plan.of(GenomeCodec.fromCanonical(BEST), CIFAR);
        double sum = p.ruleFractions().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-12);
        assertEquals(List.of("bp", "fa", "frsf", "usf"), p.rulesUsed());
        assertTrue(p.bpFraction() > 0.05 && p.bpFraction() < 0.5, "bp share " + p.bpFraction());
    }

    @Test
    void badCellsAreRejectedNamingTheField() {
        String m = assertThrows(InvalidGenomeException.class, () -> Nb201Plan.of(GenomeCodec.fromCanonical(
                "nb201:C16:N5:stem@bp:reduce@dfa:head@bp:|none~0|+|none~0|none~1|+|none~0|skip_connect~1|nor_conv_3x3~2|"),
                CIFAR)).getMessage();
        assertTrue(m.contains("edges[5].rule: missing") && m.contains("no path"), m);
        String edges = assertThrows(InvalidGenomeException.class, () -> GenomeCodec.fromCanonical(
                "nb201:C16:N5:stem@bp:reduce@bp:head@bp:|maxpool~0|")).getMessage();
        assertTrue(edges.contains("edges[0].op") && edges.contains("maxpool"), edges);
    }

    @Test
    void sampledCellsAreValidAndSmallOnesTrain() {
        Nb201Space space = new Nb201Space(SyntheticShapes.SHAPE, List.of(Rule.values()), 1, 8);
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            Nb201Plan.of(space.sample(r), SyntheticShapes.SHAPE);
        }
        DataSplits data = SyntheticShapes.load(600, 200, 200, 1);
        Genome g = GenomeCodec.fromCanonical("nb201:C8:N1:stem@bp:reduce@usf:head@bp:|nor_conv_3x3~0@fa|+|"
                + "skip_connect~0|nor_conv_1x1~1@bp|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2@hebbian|");
        double acc = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(GenomePlan.of(g, SyntheticShapes.SHAPE), data,
                    new TrainingOptions(3, 32, 0.05, 0.9, 5e-4, 0, 0, 1), TrainingListener.NONE).model()) {
                return m.accuracy(data.test(), 0);
            }
        });
        assertTrue(acc > 0.4, "nb201 cell network reached only " + acc + " (chance 0.25)");
    }
}
