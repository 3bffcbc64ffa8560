package dev.mixrule.kernel.genome;

import dev.mixrule.proto.CellOp;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import dev.mixrule.proto.Nb201Architecture;
import dev.mixrule.proto.Nb201Edge;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A NAS-Bench-201 genome checked against an input shape, with parameter and MAC counts by rule.
 * Every parameter belongs to the op whose rule trains it (a BatchNorm to the conv before it).
 */
public final class Nb201Plan extends CheckedPlan {
    public static final int EDGES = 6;
    /** Source node of each edge, in NAS-Bench-201 order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2. */
    public static final int[] FROM = {0, 0, 1, 0, 1, 2};
    public static final int[] TO = {1, 2, 2, 3, 3, 3};
    public static final int DEFAULT_CELLS = 5;
    public static final int DEFAULT_CHANNELS = 16;

    private final int cells;
    private final int channels;
    private final Map<Rule, Long> paramsByRule;
    private final long macs;
    private final List<LayerSemantics> layers;
    private final long exactParameters;

    private Nb201Plan(Genome genome, InputShape input, int cells, int channels, Tally t) {
        super(genome, input);
        this.cells = cells;
        this.channels = channels;
        this.paramsByRule = t.params;
        this.macs = t.macs;
        this.layers = List.copyOf(t.layers);
        this.exactParameters = t.exact;
    }

    /** Parameters, MACs, layers and exact-gradient parameters, counted in network order. */
    private static final class Tally {
        final Map<Rule, Long> params = new EnumMap<>(Rule.class);
        final List<LayerSemantics> layers = new ArrayList<>();
        long macs;
        long exact;

        /** A conv (no bias) and, when bn, the BatchNorm after it (counted under the conv's rule). */
        void conv(String name, Rule r, int k, int in, int out, int h, int w, boolean bn, boolean weightsExact, boolean bnExact) {
            long wp = (long) k * k * in * out;
            params.merge(r, wp + (bn ? 2L * out : 0), Long::sum);
            macs += wp * h * w;
            layers.add(new LayerSemantics(name, r, wp, weightsExact));
            exact += (weightsExact ? wp : 0) + (bn && bnExact ? 2L * out : 0);
        }

        /** A reduction block (two 3x3 convs and a 1x1 shortcut after a 2x2 avg pool); after: the blocks after it are bp. */
        void reduction(String name, Rule red, int in, int ch, int h, int w, boolean after) {
            boolean learns = red.learnsFromError();
            conv(name + ".conv_a", red, 3, in, ch, h, w, true, after && learns && red.sendsTrueError(), after && red.sendsTrueError());
            conv(name + ".conv_b", red, 3, ch, ch, h, w, true, after && learns, after);
            conv(name + ".shortcut", red, 1, in, ch, h, w, false, after && learns, false); // after a 2x2 avg pool
        }

        /** The conv edges of one cell; after: the blocks after the cell are bp. */
        void cell(String name, Nb201Architecture a, boolean[] live, int ch, int h, int w, boolean after) {
            for (int i = 0; i < EDGES; i++) {
                Nb201Edge e = a.getEdges(i);
                if (isConv(e.getOp())) {
                    int k = e.getOp() == CellOp.CELL_OP_NOR_CONV_3X3 ? 3 : 1;
                    Rule r = Rule.fromProto(e.getRule());
                    boolean reaches = live[i] && after && bpDownstream(a, live, TO[i]);
                    conv(name + ".edge" + i, r, k, ch, ch, h, w, true, reaches && r.learnsFromError(), reaches);
                }
            }
        }

        /** The classifier: a BatchNorm and a dense layer, both under the head's rule. */
        void head(Rule head, int in, int classes) {
            long dense = (long) in * classes + classes;
            params.merge(head, 2L * in + dense, Long::sum);
            macs += (long) in * classes;
            layers.add(new LayerSemantics("head", head, dense, head.learnsFromError()));
            exact += (head.learnsFromError() ? dense : 0) + (head.sendsTrueError() ? 2L * in : 0);
        }
    }

    public static int cells(Nb201Architecture a) {
        return a.getCellsPerStage() == 0 ? DEFAULT_CELLS : a.getCellsPerStage();
    }

    public static int channels(Nb201Architecture a) {
        return a.getChannels() == 0 ? DEFAULT_CHANNELS : a.getChannels();
    }

    public static boolean isConv(CellOp op) {
        return op == CellOp.CELL_OP_NOR_CONV_1X1 || op == CellOp.CELL_OP_NOR_CONV_3X3;
    }

    public static Nb201Plan of(Genome given, InputShape input) {
        Nb201Architecture a = given.getNb201();
        List<InvalidGenomeException.Violation> v = new ArrayList<>();
        int n = cells(a);
        int c = channels(a);
        if (n < 1 || n > 5) {
            v.add(new InvalidGenomeException.Violation("cells_per_stage", n + " is out of range 1..5"));
        }
        if (c < 4 || c > 64) {
            v.add(new InvalidGenomeException.Violation("channels", c + " is out of range 4..64"));
        }
        if (input.height() < 4 || input.width() < 4) {
            v.add(new InvalidGenomeException.Violation("input", "images of " + input.height() + "x" + input.width()
                    + " are too small for two stride-2 reductions (need at least 4x4)"));
        }
        checkFixedRule(v, "stem_rule", a.getStemRule());
        checkFixedRule(v, "reduction_rule", a.getReductionRule());
        checkFixedRule(v, "classifier_rule", a.getClassifierRule());
        if (a.getEdgesCount() != EDGES) {
            v.add(new InvalidGenomeException.Violation("edges", a.getEdgesCount() + " edges; a cell has exactly " + EDGES));
        } else {
            boolean[] reach = new boolean[4];
            reach[0] = true;
            for (int i = 0; i < EDGES; i++) {
                Nb201Edge e = a.getEdges(i);
                String f = "edges[" + i + "]";
                if (e.getOp() == CellOp.CELL_OP_UNSPECIFIED || e.getOp() == CellOp.UNRECOGNIZED) {
                    v.add(new InvalidGenomeException.Violation(f + ".op", "missing; one of none, skip_connect, nor_conv_1x1, "
                            + "nor_conv_3x3, avg_pool_3x3"));
                } else if (isConv(e.getOp())) {
                    if (e.getRule() == LearningRule.LEARNING_RULE_UNSPECIFIED || e.getRule() == LearningRule.UNRECOGNIZED) {
                        v.add(new InvalidGenomeException.Violation(f + ".rule", "missing; conv edges need one of " + Rule.names()));
                    }
                } else if (e.getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
                    v.add(new InvalidGenomeException.Violation(f + ".rule", "only conv edges have weights; leave rule unset"));
                }
                if (e.getOp() != CellOp.CELL_OP_NONE && reach[FROM[i]]) {
                    reach[TO[i]] = true;
                }
            }
            if (!reach[3]) {
                v.add(new InvalidGenomeException.Violation("edges", "no path from the cell input (node 0) to its output "
                        + "(node 3) through edges other than none"));
            }
        }
        if (!v.isEmpty()) {
            throw new InvalidGenomeException(v);
        }
        Genome genome = RuleSemantics.canonical(given);
        a = genome.getNb201();
        return new Nb201Plan(genome, input, n, c, tally(a, input, n, c));
    }

    /** Counts in network order; exactness as in docs/learning-rules.md (every path to the loss sends W^T). */
    private static Tally tally(Nb201Architecture a, InputShape input, int n, int c) {
        Rule stem = Rule.fromProto(a.getStemRule());
        Rule red = Rule.fromProto(a.getReductionRule());
        Rule head = Rule.fromProto(a.getClassifierRule());
        boolean[] live = RuleSemantics.liveEdges(a);
        boolean[] bpAfter = bpAfter(n, red.sendsTrueError(), cellSendsTrueError(a, live), head.sendsTrueError());
        Tally t = new Tally();
        int h = input.height(), w = input.width();
        boolean stemBp = bpAfter[0];
        t.conv("stem", stem, 3, input.channels(), c, h, w, true, stemBp && stem.learnsFromError(), stemBp);
        int[] widths = {c, 2 * c, 4 * c};
        int b = 0;
        for (int stage = 0; stage < 3; stage++) {
            int ch = widths[stage];
            if (stage > 0) {
                h = (h + 1) / 2;
                w = (w + 1) / 2;
                t.reduction("reduce" + stage, red, widths[stage - 1], ch, h, w, bpAfter[b + 1]);
                b++;
            }
            for (int cell = 0; cell < n; cell++) {
                t.cell("stage" + stage + ".cell" + cell, a, live, ch, h, w, bpAfter[b + 1]);
                b++;
            }
        }
        t.head(head, widths[2], input.classes());
        return t;
    }

    /** Whether every live conv edge of the cell sends the true error back. */
    private static boolean cellSendsTrueError(Nb201Architecture a, boolean[] live) {
        boolean cellBp = true;
        for (int i = 0; i < EDGES; i++) {
            if (live[i] && isConv(a.getEdges(i).getOp())) {
                cellBp &= Rule.fromProto(a.getEdges(i).getRule()).sendsTrueError();
            }
        }
        return cellBp;
    }

    /**
     * Over the blocks after the stem (3 stages of n cells with a reduction before stages 1 and 2, then the head):
     * bpAfter[k] is true when every block from k on is transparent (sends the true error back).
     */
    private static boolean[] bpAfter(int n, boolean reductionBp, boolean cellBp, boolean headBp) {
        int blocks = 3 * n + 2 + 1;
        boolean[] transparent = new boolean[blocks];
        int b = 0;
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                transparent[b++] = reductionBp;
            }
            for (int cell = 0; cell < n; cell++) {
                transparent[b++] = cellBp;
            }
        }
        transparent[b] = headBp;
        boolean[] bpAfter = new boolean[blocks + 1];
        bpAfter[blocks] = true;
        for (int k = blocks - 1; k >= 0; k--) {
            bpAfter[k] = bpAfter[k + 1] && transparent[k];
        }
        return bpAfter;
    }

    /** Every live conv edge on a path from node j to the cell output is bp. */
    private static boolean bpDownstream(Nb201Architecture a, boolean[] live, int j) {
        boolean[] reach = new boolean[4];
        reach[j] = true;
        for (int i = 0; i < EDGES; i++) {
            if (live[i] && reach[FROM[i]]) {
                reach[TO[i]] = true;
                if (isConv(a.getEdges(i).getOp()) && !Rule.fromProto(a.getEdges(i).getRule()).sendsTrueError()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void checkFixedRule(List<InvalidGenomeException.Violation> v, String field, LearningRule r) {
        if (r == LearningRule.LEARNING_RULE_UNSPECIFIED || r == LearningRule.UNRECOGNIZED) {
            v.add(new InvalidGenomeException.Violation(field, "missing; nothing trains by backprop unless the genome says so"));
        }
    }

    public int cellsPerStage() {
        return cells;
    }

    public int channels() {
        return channels;
    }

    @Override
    public long parameters() {
        return paramsByRule.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public long macs() {
        return macs;
    }

    @Override
    public Map<Rule, Double> ruleFractions() {
        return GenomePlan.shares(paramsByRule);
    }

    @Override
    public List<LayerSemantics> layerSemantics() {
        return layers;
    }

    @Override
    public double exactGradientFraction() {
        return exactParameters / (double) parameters();
    }
}
