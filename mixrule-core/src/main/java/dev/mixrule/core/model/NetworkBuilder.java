package dev.mixrule.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import dev.mixrule.core.genome.ChainPlan;
import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.proto.ChainLayer;

/** Turns a validated chain genome into a DJL block: normalise, pad, then one block per layer. */
public final class NetworkBuilder {
    private NetworkBuilder() {}

    public static SequentialBlock build(ChainPlan plan, Normalization norm) {
        SequentialBlock net = new SequentialBlock();
        float mean = norm.mean();
        float std = norm.std();
        net.add(new LambdaBlock(list -> new ai.djl.ndarray.NDList(list.singletonOrThrow().sub(mean).div(std)), "normalize"));
        int pad = plan.genome().getChain().getInputPadding();
        if (pad > 0) {
            net.add(new LambdaBlock(list -> new ai.djl.ndarray.NDList(
                    list.singletonOrThrow().pad(new Shape(pad, pad, pad, pad), 0)), "pad"));
        }
        boolean first = true;
        for (ChainPlan.Step step : plan.steps()) {
            ChainLayer l = step.layer();
            switch (l.getKind()) {
                case LAYER_KIND_CONV -> {
                    net.add(new FeedbackConv2d(LearningRules.get(step.rule()), !first, l.getWidth(), l.getKernel(), l.getPadding()));
                    first = false;
                }
                case LAYER_KIND_DENSE -> {
                    net.add(new FeedbackDense(LearningRules.get(step.rule()), !first, l.getWidth()));
                    first = false;
                }
                case LAYER_KIND_MAX_POOL -> net.add(Pool.maxPool2dBlock(new Shape(l.getKernel(), l.getKernel()),
                        new Shape(l.getKernel(), l.getKernel())));
                case LAYER_KIND_AVG_POOL -> net.add(Pool.avgPool2dBlock(new Shape(l.getKernel(), l.getKernel()),
                        new Shape(l.getKernel(), l.getKernel())));
                default -> throw new IllegalStateException("unreachable: plan was validated");
            }
            Block act = switch (l.getActivation()) {
                case ACTIVATION_RELU -> Activation.reluBlock();
                case ACTIVATION_TANH -> Activation.tanhBlock();
                default -> null;
            };
            if (act != null) {
                net.add(act);
            }
        }
        return net;
    }
}
