package dev.mixrule.kernel.genome;

import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.LearningRule;
import java.util.List;

/**
 * Walks a chain's layers in order for {@link ChainPlan#of}: tracks the running shape (channels, height, width,
 * and whether a dense layer has flattened it), checks each layer's fields, and adds every violation found.
 */
final class ChainWalk {
    /** A layer's weights and multiply-accumulates. */
    private record Cost(long parameters, long macs) {}

    private static final Cost FREE = new Cost(0, 0);

    private final List<InvalidGenomeException.Violation> violations;
    private int c;
    private int h;
    private int w;
    private boolean flat;

    ChainWalk(InputShape input, int pad, List<InvalidGenomeException.Violation> violations) {
        this.violations = violations;
        this.c = input.channels();
        this.h = input.height() + 2 * pad;
        this.w = input.width() + 2 * pad;
    }

    /** Layer {@code i} with its input shape, the output shape it leaves, and its cost. */
    ChainPlan.Step step(int i, ChainLayer l) {
        String f = "layers[" + i + "]";
        int inC = c;
        int inH = h;
        int inW = w;
        Cost cost = switch (l.getKind()) {
            case LAYER_KIND_CONV -> conv(f, l);
            case LAYER_KIND_MAX_POOL, LAYER_KIND_AVG_POOL -> pool(f, l);
            case LAYER_KIND_DENSE -> dense(f, l);
            default -> {
                violation(f + ".op", "unknown op " + l.getKind() + "; known: conv, dense, maxpool, avgpool");
                yield FREE;
            }
        };
        return new ChainPlan.Step(i, l, inC, inH, inW, c, h, w, cost.parameters(), cost.macs());
    }

    private Cost conv(String f, ChainLayer l) {
        check(f + ".width", l.getWidth(), 1, ChainPlan.MAX_CONV_WIDTH);
        check(f + ".kernel", l.getKernel(), 1, 7);
        check(f + ".padding", l.getPadding(), 0, 3);
        requireRule(f, l);
        if (flat) {
            violation(f + ".op", "conv after dense; convolutions must come first");
        }
        int k = l.getKernel();
        int oh = h + 2 * l.getPadding() - k + 1;
        int ow = w + 2 * l.getPadding() - k + 1;
        if (!flat && (oh < 1 || ow < 1)) {
            violation(f + ".kernel", "kernel " + k + "x" + k + " does not fit its " + h + "x" + w + " input (padding "
                    + l.getPadding() + ")");
            oh = Math.max(oh, 1);
            ow = Math.max(ow, 1);
        }
        Cost cost = new Cost((long) k * k * c * l.getWidth() + l.getWidth(), (long) k * k * c * l.getWidth() * oh * ow);
        c = l.getWidth();
        h = oh;
        w = ow;
        return cost;
    }

    private Cost pool(String f, ChainLayer l) {
        check(f + ".kernel", l.getKernel(), 2, 4);
        if (l.getWidth() != 0) {
            violation(f + ".width", "pooling keeps its channels; leave width 0");
        }
        if (l.getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
            violation(f + ".rule", "pooling has no weights; leave rule unset");
        }
        if (flat) {
            violation(f + ".op", "pooling after dense; pooling must come before dense layers");
        }
        int k = Math.max(l.getKernel(), 1);
        if (!flat && (h / k < 1 || w / k < 1)) {
            violation(f + ".kernel", "pool " + k + " does not fit its " + h + "x" + w + " input");
        }
        h = Math.max(h / k, 1);
        w = Math.max(w / k, 1);
        return new Cost(0, (long) c * h * w * k * k);
    }

    private Cost dense(String f, ChainLayer l) {
        check(f + ".width", l.getWidth(), 1, ChainPlan.MAX_DENSE_WIDTH);
        if (l.getKernel() != 0 || l.getPadding() != 0) {
            violation(f + ".kernel", "dense layers have no kernel or padding; leave them 0");
        }
        requireRule(f, l);
        long in = (long) c * h * w;
        Cost cost = new Cost(in * l.getWidth() + l.getWidth(), in * l.getWidth());
        c = l.getWidth();
        h = 1;
        w = 1;
        flat = true;
        return cost;
    }

    private void check(String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            violation(field, value + " is out of range " + lo + ".." + hi);
        }
    }

    private void requireRule(String f, ChainLayer l) {
        if (l.getRule() == LearningRule.LEARNING_RULE_UNSPECIFIED || l.getRule() == LearningRule.UNRECOGNIZED) {
            violation(f + ".rule", "missing; every trainable layer needs one of " + Rule.names());
        }
    }

    private void violation(String field, String message) {
        violations.add(new InvalidGenomeException.Violation(field, message));
    }
}
