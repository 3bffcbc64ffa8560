package dev.mixrule.core.genome;

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
public final class Nb201Plan implements GenomePlan {
    public static final int EDGES = 6;
    /** Source node of each edge, in NAS-Bench-201 order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2. */
    public static final int[] FROM = {0, 0, 1, 0, 1, 2};
    public static final int[] TO = {1, 2, 2, 3, 3, 3};
    public static final int DEFAULT_CELLS = 5;
    public static final int DEFAULT_CHANNELS = 16;

    private final Genome genome;
    private final InputShape input;
    private final int cells;
    private final int channels;
    private final Map<Rule, Long> paramsByRule;
    private final long macs;

    private Nb201Plan(Genome genome, InputShape input, int cells, int channels, Map<Rule, Long> paramsByRule, long macs) {
        this.genome = genome;
        this.input = input;
        this.cells = cells;
        this.channels = channels;
        this.paramsByRule = paramsByRule;
        this.macs = macs;
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

    public static Nb201Plan of(Genome genome, InputShape input) {
        Nb201Architecture a = genome.getNb201();
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
                    } else if (e.getRule() == LearningRule.LEARNING_RULE_DFA) {
                        v.add(new InvalidGenomeException.Violation(f + ".rule", "dfa is supported in the chain space only"));
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
        Map<Rule, Long> params = new EnumMap<>(Rule.class);
        long[] macs = {0};
        int h = input.height(), w = input.width();
        // stem: 3x3 conv + BN
        conv(params, macs, Rule.fromProto(a.getStemRule()), 3, input.channels(), c, h, w);
        int[] widths = {c, 2 * c, 4 * c};
        for (int stage = 0; stage < 3; stage++) {
            int ch = widths[stage];
            if (stage > 0) {
                int in = widths[stage - 1];
                h = (h + 1) / 2;
                w = (w + 1) / 2;
                Rule r = Rule.fromProto(a.getReductionRule());
                conv(params, macs, r, 3, in, ch, h, w);   // conv_a, stride 2
                conv(params, macs, r, 3, ch, ch, h, w);   // conv_b
                params.merge(r, (long) in * ch, Long::sum); // downsample: avg pool 2x2, 1x1 conv (no BN)
                macs[0] += (long) in * ch * h * w;
            }
            for (int cell = 0; cell < n; cell++) {
                for (Nb201Edge e : a.getEdgesList()) {
                    if (isConv(e.getOp())) {
                        int k = e.getOp() == CellOp.CELL_OP_NOR_CONV_3X3 ? 3 : 1;
                        conv(params, macs, Rule.fromProto(e.getRule()), k, ch, ch, h, w);
                    }
                }
            }
        }
        Rule head = Rule.fromProto(a.getClassifierRule());
        params.merge(head, 2L * widths[2] + (long) widths[2] * input.classes() + input.classes(), Long::sum);
        macs[0] += (long) widths[2] * input.classes();
        return new Nb201Plan(genome, input, n, c, params, macs[0]);
    }

    private static void conv(Map<Rule, Long> params, long[] macs, Rule r, int k, int in, int out, int h, int w) {
        params.merge(r, (long) k * k * in * out + 2L * out, Long::sum);
        macs[0] += (long) k * k * in * out * h * w;
    }

    private static void checkFixedRule(List<InvalidGenomeException.Violation> v, String field, LearningRule r) {
        if (r == LearningRule.LEARNING_RULE_UNSPECIFIED || r == LearningRule.UNRECOGNIZED) {
            v.add(new InvalidGenomeException.Violation(field, "missing; nothing trains by backprop unless the genome says so"));
        } else if (r == LearningRule.LEARNING_RULE_DFA) {
            v.add(new InvalidGenomeException.Violation(field, "dfa is supported in the chain space only"));
        }
    }

    public int cellsPerStage() {
        return cells;
    }

    public int channels() {
        return channels;
    }

    @Override
    public Genome genome() {
        return genome;
    }

    @Override
    public InputShape input() {
        return input;
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
}
