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
public final class ChainPlan extends CheckedPlan {
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

    private final List<Step> steps;

    private ChainPlan(Genome genome, InputShape input, List<Step> steps) {
        super(genome, input);
        this.steps = steps;
    }

    /** Validates the genome for this input; throws {@link InvalidGenomeException} naming every bad field. */
    public static ChainPlan of(Genome given, InputShape input) {
        if (!given.hasChain()) {
            throw new InvalidGenomeException("architecture", "no architecture set (expected 'chain')");
        }
        Genome genome = RuleSemantics.canonical(given);
        ChainArchitecture chain = genome.getChain();
        List<InvalidGenomeException.Violation> v = new ArrayList<>();
        ChainWalk walk = new ChainWalk(input, inputPadding(chain, v), v);
        int n = layerCount(chain, v);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            steps.add(walk.step(i, chain.getLayers(i)));
        }
        checkClassifier(chain.getLayers(n - 1), "layers[" + (n - 1) + "]", input, v);
        if (!v.isEmpty()) {
            throw new InvalidGenomeException(v);
        }
        return new ChainPlan(genome, input, Collections.unmodifiableList(steps));
    }

    /** The input padding, or 0 after adding a violation where it is out of range. */
    private static int inputPadding(ChainArchitecture chain, List<InvalidGenomeException.Violation> v) {
        int pad = chain.getInputPadding();
        if (pad < 0 || pad > 4) {
            v.add(new InvalidGenomeException.Violation("input_padding", pad + " is out of range 0..4"));
            return 0;
        }
        return pad;
    }

    /** The number of layers; none at all is refused at once, too many is a violation. */
    private static int layerCount(ChainArchitecture chain, List<InvalidGenomeException.Violation> v) {
        int n = chain.getLayersCount();
        if (n == 0) {
            throw new InvalidGenomeException("layers", "empty; a chain needs at least its classifier (dense)");
        }
        if (n > MAX_LAYERS) {
            v.add(new InvalidGenomeException.Violation("layers", n + " layers, at most " + MAX_LAYERS + " allowed"));
        }
        return n;
    }

    /** The last layer must be a dense classifier with one logit per class and no activation. */
    private static void checkClassifier(ChainLayer last, String lf, InputShape input,
                                        List<InvalidGenomeException.Violation> v) {
        if (last.getKind() != LayerKind.LAYER_KIND_DENSE) {
            v.add(new InvalidGenomeException.Violation(lf + ".op", "the last layer must be the dense classifier"));
            return;
        }
        if (last.getWidth() != input.classes()) {
            v.add(new InvalidGenomeException.Violation(lf + ".width", "classifier has " + last.getWidth()
                    + " outputs but the dataset has " + input.classes() + " classes"));
        }
        if (last.getActivation() != Activation.ACTIVATION_NONE) {
            v.add(new InvalidGenomeException.Violation(lf + ".activation", "the classifier outputs logits; use no activation"));
        }
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
