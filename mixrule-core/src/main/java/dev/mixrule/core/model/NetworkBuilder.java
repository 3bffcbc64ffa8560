package dev.mixrule.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import dev.mixrule.core.rules.FeedbackConv2d;
import dev.mixrule.core.rules.FeedbackDense;
import dev.mixrule.core.rules.FeedbackLayer;
import dev.mixrule.core.rules.FeedbackRule;
import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.core.rules.RuleContext;
import dev.mixrule.kernel.data.Normalization;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.LayerSemantics;
import dev.mixrule.kernel.genome.Nb201Plan;
import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.LayerKind;
import java.util.List;

/** Turns a validated genome into a network; every weight layer learns its name and exactness from the plan. */
public final class NetworkBuilder {
    private NetworkBuilder() {}

    /** The network of any validated genome. */
    public static RuleNetwork build(GenomePlan plan, Normalization norm, RuleContext context) {
        RuleNetwork net = plan instanceof Nb201Plan nb ? new Nb201Network(nb, norm, context)
                : buildChain((ChainPlan) plan, norm, context);
        List<FeedbackLayer> layers = net.layers();
        List<LayerSemantics> semantics = plan.layerSemantics();
        if (layers.size() != semantics.size()) {
            throw new IllegalStateException("network has " + layers.size() + " weight layers, plan " + semantics.size());
        }
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).describe(semantics.get(i).name(), semantics.get(i).exactGradient(), i > 0);
        }
        return net;
    }

    private static ChainNetwork buildChain(ChainPlan plan, Normalization norm, RuleContext context) {
        ChainNetwork net = new ChainNetwork(norm, plan.genome().getChain().getInputPadding(), context);
        for (ChainPlan.Step step : plan.steps()) {
            ChainLayer l = step.layer();
            SequentialBlock stage = new SequentialBlock();
            switch (l.getKind()) {
                case LAYER_KIND_CONV, LAYER_KIND_DENSE -> {
                    FeedbackRule rule = LearningRules.get(step.rule());
                    stage.add(l.getKind() == LayerKind.LAYER_KIND_CONV
                            ? new FeedbackConv2d(rule, context, l.getWidth(), l.getKernel(), l.getPadding())
                            : new FeedbackDense(rule, context, l.getWidth()));
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
            net.addStage(stage);
        }
        return net;
    }
}
