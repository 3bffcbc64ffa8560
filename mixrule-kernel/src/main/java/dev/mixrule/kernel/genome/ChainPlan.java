package dev.mixrule.kernel.genome;

import dev.mixrule.proto.Activation;
import dev.mixrule.proto.ChainArchitecture;
import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerKind;
import dev.mixrule.proto.LearningRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A chain genome checked against an input shape: every layer with its input and output shape,
 * parameter count and multiply-accumulates. Building one is how a genome is validated.
 */
public final class ChainPlan implements GenomePlan {
    public static final int MAX_LAYERS = 16;
    public static final int MAX_CONV_WIDTH = 1024;
    public static final int MAX_DENSE_WIDTH = 4096;

    /** One layer with its shapes; channels/height/width describe the output (height = width = 1 after dense). */
    public record Step(int index, ChainLayer layer, int inChannels, int inHeight, int inWidth,
                       int outChannels, int outHeight, int outWidth, long parameters, long macs) {
        public Rule rule() {
            return layer.getRule() == LearningRule.LEARNING_RULE_UNSPECIFIED ? null : Rule.fromProto(layer.getRule());
        }

        public boolean trainable() {
            return layer.getKind() == LayerKind.LAYER_KIND_CONV || layer.getKind() == LayerKind.LAYER_KIND_DENSE;
        }
    }

    private final Genome genome;
    private final InputShape input;
    private final List<Step> steps;

    private ChainPlan(Genome genome, InputShape input, List<Step> steps) {
        this.genome = genome;
        this.input = input;
        this.steps = steps;
    }

    /** Validates the genome for this input; throws {@link InvalidGenomeException} naming every bad field. */
    public static ChainPlan of(Genome given, InputShape input) {
        List<InvalidGenomeException.Violation> v = new ArrayList<>();
        if (!given.hasChain()) {
            throw new InvalidGenomeException("architecture", "no architecture set (expected 'chain')");
        }
        Genome genome = RuleSemantics.canonical(given);
        ChainArchitecture chain = genome.getChain();
        int pad = chain.getInputPadding();
        if (pad < 0 || pad > 4) {
            v.add(new InvalidGenomeException.Violation("input_padding", pad + " is out of range 0..4"));
            pad = 0;
        }
        int n = chain.getLayersCount();
        if (n == 0) {
            throw new InvalidGenomeException("layers", "empty; a chain needs at least its classifier (dense)");
        }
        if (n > MAX_LAYERS) {
            v.add(new InvalidGenomeException.Violation("layers", n + " layers, at most " + MAX_LAYERS + " allowed"));
        }
        int c = input.channels();
        int h = input.height() + 2 * pad;
        int w = input.width() + 2 * pad;
        boolean flat = false;
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChainLayer l = chain.getLayers(i);
            String f = "layers[" + i + "]";
            int inC = c, inH = h, inW = w;
            long params = 0, macs = 0;
            switch (l.getKind()) {
                case LAYER_KIND_CONV -> {
                    check(v, f + ".width", l.getWidth(), 1, MAX_CONV_WIDTH);
                    check(v, f + ".kernel", l.getKernel(), 1, 7);
                    check(v, f + ".padding", l.getPadding(), 0, 3);
                    requireRule(v, f, l);
                    if (flat) {
                        v.add(new InvalidGenomeException.Violation(f + ".op", "conv after dense; convolutions must come first"));
                    }
                    int k = l.getKernel();
                    int oh = h + 2 * l.getPadding() - k + 1;
                    int ow = w + 2 * l.getPadding() - k + 1;
                    if (!flat && (oh < 1 || ow < 1)) {
                        v.add(new InvalidGenomeException.Violation(f + ".kernel", "kernel " + k + "x" + k + " does not fit its "
                                + h + "x" + w + " input (padding " + l.getPadding() + ")"));
                        oh = Math.max(oh, 1);
                        ow = Math.max(ow, 1);
                    }
                    params = (long) k * k * c * l.getWidth() + l.getWidth();
                    macs = (long) k * k * c * l.getWidth() * oh * ow;
                    c = l.getWidth();
                    h = oh;
                    w = ow;
                }
                case LAYER_KIND_MAX_POOL, LAYER_KIND_AVG_POOL -> {
                    check(v, f + ".kernel", l.getKernel(), 2, 4);
                    if (l.getWidth() != 0) {
                        v.add(new InvalidGenomeException.Violation(f + ".width", "pooling keeps its channels; leave width 0"));
                    }
                    if (l.getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
                        v.add(new InvalidGenomeException.Violation(f + ".rule", "pooling has no weights; leave rule unset"));
                    }
                    if (flat) {
                        v.add(new InvalidGenomeException.Violation(f + ".op", "pooling after dense; pooling must come before dense layers"));
                    }
                    int k = Math.max(l.getKernel(), 1);
                    if (!flat && (h / k < 1 || w / k < 1)) {
                        v.add(new InvalidGenomeException.Violation(f + ".kernel", "pool " + k + " does not fit its " + h + "x" + w + " input"));
                    }
                    h = Math.max(h / k, 1);
                    w = Math.max(w / k, 1);
                    macs = (long) c * h * w * k * k;
                }
                case LAYER_KIND_DENSE -> {
                    check(v, f + ".width", l.getWidth(), 1, MAX_DENSE_WIDTH);
                    if (l.getKernel() != 0 || l.getPadding() != 0) {
                        v.add(new InvalidGenomeException.Violation(f + ".kernel", "dense layers have no kernel or padding; leave them 0"));
                    }
                    requireRule(v, f, l);
                    long in = (long) c * h * w;
                    params = in * l.getWidth() + l.getWidth();
                    macs = in * l.getWidth();
                    c = l.getWidth();
                    h = 1;
                    w = 1;
                    flat = true;
                }
                default -> v.add(new InvalidGenomeException.Violation(f + ".op", "unknown op " + l.getKind()
                        + "; known: conv, dense, maxpool, avgpool"));
            }
            steps.add(new Step(i, l, inC, inH, inW, c, h, w, params, macs));
        }
        ChainLayer last = chain.getLayers(n - 1);
        String lf = "layers[" + (n - 1) + "]";
        if (last.getKind() != LayerKind.LAYER_KIND_DENSE) {
            v.add(new InvalidGenomeException.Violation(lf + ".op", "the last layer must be the dense classifier"));
        } else {
            if (last.getWidth() != input.classes()) {
                v.add(new InvalidGenomeException.Violation(lf + ".width", "classifier has " + last.getWidth()
                        + " outputs but the dataset has " + input.classes() + " classes"));
            }
            if (last.getActivation() != Activation.ACTIVATION_NONE) {
                v.add(new InvalidGenomeException.Violation(lf + ".activation", "the classifier outputs logits; use no activation"));
            }
        }
        if (!v.isEmpty()) {
            throw new InvalidGenomeException(v);
        }
        return new ChainPlan(genome, input, Collections.unmodifiableList(steps));
    }

    private static void check(List<InvalidGenomeException.Violation> v, String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            v.add(new InvalidGenomeException.Violation(field, value + " is out of range " + lo + ".." + hi));
        }
    }

    private static void requireRule(List<InvalidGenomeException.Violation> v, String f, ChainLayer l) {
        if (l.getRule() == LearningRule.LEARNING_RULE_UNSPECIFIED || l.getRule() == LearningRule.UNRECOGNIZED) {
            v.add(new InvalidGenomeException.Violation(f + ".rule", "missing; every trainable layer needs one of " + Rule.names()));
        }
    }

    @Override
    public Genome genome() {
        return genome;
    }

    @Override
    public InputShape input() {
        return input;
    }

    public List<Step> steps() {
        return steps;
    }

    @Override
    public long parameters() {
        return steps.stream().mapToLong(Step::parameters).sum();
    }

    @Override
    public long macs() {
        return steps.stream().mapToLong(Step::macs).sum();
    }

    @Override
    public Map<Rule, Double> ruleFractions() {
        Map<Rule, Long> counts = new EnumMap<>(Rule.class);
        for (Step s : steps) {
            if (s.trainable()) {
                counts.merge(s.rule(), s.parameters(), Long::sum);
            }
        }
        return GenomePlan.shares(counts);
    }

    @Override
    public List<LayerSemantics> layerSemantics() {
        List<Step> trainable = steps.stream().filter(Step::trainable).toList();
        List<Rule> rules = trainable.stream().map(Step::rule).toList();
        boolean[] exact = RuleSemantics.exactGradient(rules);
        List<LayerSemantics> out = new ArrayList<>();
        for (int i = 0; i < trainable.size(); i++) {
            Step s = trainable.get(i);
            out.add(new LayerSemantics("layers[" + s.index() + "]", s.rule(), s.parameters(), exact[i]));
        }
        return out;
    }

    @Override
    public double exactGradientFraction() {
        long exact = layerSemantics().stream().filter(LayerSemantics::exactGradient).mapToLong(LayerSemantics::parameters).sum();
        return exact / (double) parameters();
    }

}
