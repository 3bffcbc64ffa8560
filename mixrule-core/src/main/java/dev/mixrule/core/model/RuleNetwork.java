package dev.mixrule.core.model;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/** A whole network built from a genome: images in [0,1] in, logits out. */
public abstract class RuleNetwork extends AbstractBlock {
    protected RuleNetwork(byte version) {
        super(version);
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
