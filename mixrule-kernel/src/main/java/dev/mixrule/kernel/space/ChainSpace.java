package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Activation;
import dev.mixrule.proto.ChainArchitecture;
import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerKind;
import java.util.List;
import java.util.Random;

/**
 * The chain search space: 1-3 convolution blocks (conv, optional 2x2 max pool), 0-1 hidden dense
 * layer, and the dense classifier; every trainable layer draws its own learning rule.
 */
public final class ChainSpace implements SearchSpace {
    static final int[] CONV_WIDTHS = {8, 16, 32, 64};
    static final int[] CONV_KERNELS = {3, 5};
    static final int[] DENSE_WIDTHS = {32, 64, 128, 256};

    private final InputShape input;
    private final RuleDraws draws;

    /** @param rules the rules a layer may draw; one rule makes a single-rule network */
    public ChainSpace(InputShape input, List<Rule> rules) {
        this.input = input;
        this.draws = new RuleDraws(rules);
    }

    @Override
    public Genome mutate(Genome parent, Random random) {
        return ValidDraws.first(100, input, parent, () -> mutation(parent, random)).orElseGet(() -> sample(random));
    }

    @Override
    public Genome sample(Random random) {
        return ValidDraws.first(100, input, null, () -> draw(random))
                .orElseThrow(() -> new IllegalStateException("no valid genome for input " + input + " after 100 draws"));
    }

    /** One step from the parent, or null when the step drawn does not apply to the layer drawn. */
    private Genome mutation(Genome parent, Random random) {
        ChainArchitecture.Builder chain = parent.getChain().toBuilder();
        int n = chain.getLayersCount();
        int i = random.nextInt(n);
        ChainLayer l = chain.getLayers(i);
        ChainLayer.Builder b = l.toBuilder();
        boolean weights = l.getKind() == LayerKind.LAYER_KIND_CONV || l.getKind() == LayerKind.LAYER_KIND_DENSE;
        switch (random.nextInt(3)) {
            case 0 -> { // a layer's learning rule
                if (!weights) {
                    return null;
                }
                b.setRule((i == n - 1 ? draws.classifier(random) : draws.any(random)).proto());
            }
            case 1 -> { // a width (never the classifier's)
                if (!weights || i == n - 1) {
                    return null;
                }
                int[] widths = l.getKind() == LayerKind.LAYER_KIND_CONV ? CONV_WIDTHS : DENSE_WIDTHS;
                b.setWidth(widths[random.nextInt(widths.length)]);
            }
            default -> { // an op: a conv's kernel, or a pooling layer's kind
                if (l.getKind() == LayerKind.LAYER_KIND_CONV) {
                    int k = CONV_KERNELS[random.nextInt(CONV_KERNELS.length)];
                    b.setKernel(k).setPadding(k / 2);
                } else if (l.getKind() == LayerKind.LAYER_KIND_MAX_POOL) {
                    b.setKind(LayerKind.LAYER_KIND_AVG_POOL);
                } else if (l.getKind() == LayerKind.LAYER_KIND_AVG_POOL) {
                    b.setKind(LayerKind.LAYER_KIND_MAX_POOL);
                } else {
                    return null;
                }
            }
        }
        return Genome.newBuilder().setChain(chain.setLayers(i, b)).build();
    }

    private Genome draw(Random random) {
        ChainArchitecture.Builder chain = ChainArchitecture.newBuilder().setInputPadding(0);
        int blocks = 1 + random.nextInt(3);
        for (int b = 0; b < blocks; b++) {
            int k = CONV_KERNELS[random.nextInt(CONV_KERNELS.length)];
            chain.addLayers(ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_CONV).setKernel(k)
                    .setPadding(k / 2).setWidth(CONV_WIDTHS[random.nextInt(CONV_WIDTHS.length)])
                    .setActivation(Activation.ACTIVATION_RELU).setRule(draws.any(random).proto()));
            if (b < 2 || random.nextBoolean()) {
                chain.addLayers(ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_MAX_POOL).setKernel(2));
            }
        }
        if (random.nextBoolean()) {
            chain.addLayers(ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_DENSE)
                    .setWidth(DENSE_WIDTHS[random.nextInt(DENSE_WIDTHS.length)])
                    .setActivation(Activation.ACTIVATION_RELU).setRule(draws.any(random).proto()));
        }
        chain.addLayers(ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_DENSE).setWidth(input.classes())
                .setActivation(Activation.ACTIVATION_NONE).setRule(draws.classifier(random).proto()));
        return Genome.newBuilder().setChain(chain).build();
    }
}
