package dev.mixrule.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mixrule.core.rules.FeedbackLayer;
import dev.mixrule.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole network built from a genome: images in [0,1] in, logits out. In a training forward the DFA
 * layers' taps (registered by their rule) are folded into the logits here, the same in every space.
 */
public abstract class RuleNetwork extends AbstractBlock {
    protected final RuleContext context;

    protected RuleNetwork(byte version, RuleContext context) {
        super(version);
        this.context = context;
    }

    public RuleContext context() {
        return context;
    }

    /** The logits, before any DFA tap. */
    protected abstract NDArray logits(ParameterStore ps, NDArray images, boolean training);

    @Override
    protected final NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        context.directFeedback().clear();
        NDArray logits = logits(ps, inputs.singletonOrThrow(), training);
        return new NDList(training ? context.directFeedback().apply(logits) : logits);
    }

    /** Every weight layer of the network, in order. */
    public List<FeedbackLayer> layers() {
        List<FeedbackLayer> out = new ArrayList<>();
        getChildren().values().forEach(c -> collect(c, out));
        return out;
    }

    private static void collect(Block b, List<FeedbackLayer> out) {
        if (b instanceof FeedbackLayer f) {
            out.add(f);
        }
        b.getChildren().values().forEach(c -> collect(c, out));
    }
}
