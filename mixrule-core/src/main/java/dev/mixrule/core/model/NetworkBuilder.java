package dev.mixrule.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import dev.mixrule.core.genome.ChainPlan;
import dev.mixrule.core.rules.FeedbackRule;
import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.proto.ChainLayer;

/** Turns a validated chain genome into a network: normalise, pad, then one stage per layer. */
public final class NetworkBuilder {
    private NetworkBuilder() {}

    /** The network of any validated genome. */
    public static RuleNetwork build(dev.mixrule.core.genome.GenomePlan plan, Normalization norm) {
        if (plan instanceof dev.mixrule.core.genome.Nb201Plan nb) {
            return new Nb201Network(nb, norm);
        }
        return build((ChainPlan) plan, norm);
    }

    public static ChainNetwork build(ChainPlan plan, Normalization norm) {
        ChainNetwork net = new ChainNetwork(norm, plan.genome().getChain().getInputPadding(), plan.input().classes());
        boolean first = true;
        int last = plan.steps().size() - 1;
        for (ChainPlan.Step step : plan.steps()) {
            ChainLayer l = step.layer();
            SequentialBlock stage = new SequentialBlock();
            boolean tap = false;
            switch (l.getKind()) {
                case LAYER_KIND_CONV, LAYER_KIND_DENSE -> {
                    FeedbackRule rule = LearningRules.get(step.rule());
                    stage.add(l.getKind() == dev.mixrule.proto.LayerKind.LAYER_KIND_CONV
                            ? new FeedbackConv2d(rule, !first, l.getWidth(), l.getKernel(), l.getPadding())
                            : new FeedbackDense(rule, !first, l.getWidth()));
                    // DFA on the classifier is backprop: it already receives e itself
                    tap = rule.receivesDirectFeedback() && step.index() != last;
                    first = false;
                }
                case LAYER_KIND_MAX_POOL -> stage.add(Pool.maxPool2dBlock(new Shape(l.getKernel(), l.getKernel()),
                        new Shape(l.getKernel(), l.getKernel())));
                case LAYER_KIND_AVG_POOL -> stage.add(Pool.avgPool2dBlock(new Shape(l.getKernel(), l.getKernel()),
                        new Shape(l.getKernel(), l.getKernel())));
                default -> throw new IllegalStateException("unreachable: plan was validated");
            }
            Block act = switch (l.getActivation()) {
                case ACTIVATION_RELU -> Activation.reluBlock();
                case ACTIVATION_TANH -> Activation.tanhBlock();
                default -> null;
            };
            if (act != null) {
                stage.add(act);
            }
            net.addStage(stage, tap, (long) step.outChannels() * step.outHeight() * step.outWidth());
        }
        return net;
    }
}
