package dev.mixrule.kernel.genome;

import dev.mixrule.proto.CellOp;
import dev.mixrule.proto.ChainArchitecture;
import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerKind;
import dev.mixrule.proto.LearningRule;
import dev.mixrule.proto.Nb201Architecture;
import dev.mixrule.proto.Nb201Edge;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rule label means where rules meet (docs/learning-rules.md): which labels cannot change
 * training, and the one canonical genome of every set of genomes that train identically.
 *
 * <p>A layer's label decides (a) whether its weights learn from the error (all but hebbian) and (b) the
 * error it sends to its input (bp: W^T delta; fa/usf/brsf/frsf: B^T delta, only when an error reaches its
 * output; dfa: e B_l^T, always; hebbian: none). A non-hebbian label is therefore free, i.e. it changes
 * nothing, on the first trainable layer (its input needs no error), and on a layer that receives no error
 * (below a hebbian layer) unless it is dfa. Free labels are replaced by the label of the nearest layer
 * above whose label is not free (not hebbian, and not dfa unless on the first layer), else bp, so a
 * single-rule genome stays single-rule. NB-201: the stem is the first layer, and a conv edge that is
 * not on a path from the cell's input to its output is free; see docs/learning-rules.md for what is not
 * canonicalised there.
 */
public final class RuleSemantics {
    private RuleSemantics() {}

    /** One free label and what replaced it. */
    public record Replacement(String field, Rule from, Rule to, String why) {
        @Override
        public String toString() {
            return field + ": '" + from + "' cannot change training (" + why + "); canonical form uses '" + to + "'";
        }
    }

    /** The canonical genome: free labels replaced; the genome itself when nothing is free or it is incomplete. */
    public static Genome canonical(Genome genome) {
        List<Replacement> r = replacements(genome);
        if (r.isEmpty()) {
            return genome;
        }
        if (genome.hasChain()) {
            ChainArchitecture.Builder c = genome.getChain().toBuilder();
            for (Replacement x : r) {
                int i = Integer.parseInt(x.field().substring("layers[".length(), x.field().indexOf(']')));
                c.setLayers(i, c.getLayers(i).toBuilder().setRule(x.to().proto()));
            }
            return Genome.newBuilder().setChain(c).build();
        }
        Nb201Architecture.Builder a = genome.getNb201().toBuilder();
        for (Replacement x : r) {
            if (x.field().equals("stem_rule")) {
                a.setStemRule(x.to().proto());
            } else {
                int i = Integer.parseInt(x.field().substring("edges[".length(), x.field().indexOf(']')));
                a.setEdges(i, a.getEdges(i).toBuilder().setRule(x.to().proto()));
            }
        }
        return Genome.newBuilder().setNb201(a).build();
    }

    /** Every free label of the genome with its canonical replacement (empty for an incomplete genome). */
    public static List<Replacement> replacements(Genome genome) {
        if (genome.hasChain()) {
            return chainReplacements(genome.getChain());
        }
        if (genome.hasNb201()) {
            return nb201Replacements(genome.getNb201());
        }
        return List.of();
    }

    // ------------------------------------------------------------------ chain

    /** Rules of the trainable layers bottom to top, or null when one is missing. */
    static List<Rule> chainRules(ChainArchitecture chain, List<Integer> indexOut) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < chain.getLayersCount(); i++) {
            ChainLayer l = chain.getLayers(i);
            if (l.getKind() == LayerKind.LAYER_KIND_CONV || l.getKind() == LayerKind.LAYER_KIND_DENSE) {
                if (l.getRule() == LearningRule.LEARNING_RULE_UNSPECIFIED || l.getRule() == LearningRule.UNRECOGNIZED) {
                    return null;
                }
                rules.add(Rule.fromProto(l.getRule()));
                indexOut.add(i);
            }
        }
        return rules;
    }

    /** receives[i]: an error reaches the output of trainable layer i (the classifier always). */
    public static boolean[] receivesError(List<Rule> rules) {
        int n = rules.size();
        boolean[] receives = new boolean[n];
        if (n == 0) {
            return receives;
        }
        receives[n - 1] = true;
        for (int i = n - 1; i > 0; i--) {
            Rule r = rules.get(i);
            receives[i - 1] = r.sendsErrorWithoutReceiving() || (r.learnsFromError() && receives[i]);
        }
        return receives;
    }

    /** exact[i]: trainable layer i's update is the true gradient: it learns from the error and every layer above is bp. */
    public static boolean[] exactGradient(List<Rule> rules) {
        int n = rules.size();
        boolean[] exact = new boolean[n];
        boolean allBpAbove = true;
        for (int i = n - 1; i >= 0; i--) {
            exact[i] = allBpAbove && rules.get(i).learnsFromError();
            allBpAbove &= rules.get(i).sendsTrueError();
        }
        return exact;
    }

    private static List<Replacement> chainReplacements(ChainArchitecture chain) {
        List<Integer> index = new ArrayList<>();
        List<Rule> rules = chainRules(chain, index);
        if (rules == null || rules.isEmpty()) {
            return List.of();
        }
        boolean[] receives = receivesError(rules);
        int n = rules.size();
        boolean[] free = new boolean[n];
        for (int i = 0; i < n; i++) {
            Rule r = rules.get(i);
            free[i] = r.learnsFromError() && (i == 0 || (!receives[i] && !r.sendsErrorWithoutReceiving()));
        }
        List<Replacement> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!free[i]) {
                continue;
            }
            Rule to = Rule.BP;
            for (int j = i + 1; j < n; j++) {
                Rule r = rules.get(j);
                if (!free[j] && r.learnsFromError() && (!r.sendsErrorWithoutReceiving() || i == 0)) {
                    to = r;
                    break;
                }
            }
            if (to != rules.get(i)) {
                String why = i == 0 ? "the first trainable layer sends no error" : "no error reaches it (a hebbian layer above sends none), so it never learns and sends nothing";
                out.add(new Replacement("layers[" + index.get(i) + "].rule", rules.get(i), to, why));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ nb201

    /** Edges on a path from the cell's input (node 0) to its output (node 3) through edges other than none. */
    public static boolean[] liveEdges(Nb201Architecture a) {
        boolean[] live = computedEdges(a);
        if (a.getEdgesCount() != Nb201Plan.EDGES) {
            return new boolean[Nb201Plan.EDGES];
        }
        boolean[] to3 = new boolean[4];
        to3[3] = true;
        for (int i = Nb201Plan.EDGES - 1; i >= 0; i--) { // edges are in topological order
            if (a.getEdges(i).getOp() != CellOp.CELL_OP_NONE && to3[Nb201Plan.TO[i]]) {
                to3[Nb201Plan.FROM[i]] = true;
            }
        }
        for (int i = 0; i < Nb201Plan.EDGES; i++) {
            live[i] &= to3[Nb201Plan.TO[i]];
        }
        return live;
    }

    /** Edges whose source node is computed (reached from node 0 through edges other than none). */
    static boolean[] computedEdges(Nb201Architecture a) {
        boolean[] out = new boolean[Nb201Plan.EDGES];
        boolean[] from0 = new boolean[4];
        from0[0] = true;
        for (int i = 0; i < Nb201Plan.EDGES && i < a.getEdgesCount(); i++) {
            out[i] = from0[Nb201Plan.FROM[i]] && a.getEdges(i).getOp() != CellOp.CELL_OP_NONE;
            if (out[i]) {
                from0[Nb201Plan.TO[i]] = true;
            }
        }
        return out;
    }

    private static List<Replacement> nb201Replacements(Nb201Architecture a) {
        if (a.getEdgesCount() != Nb201Plan.EDGES || !set(a.getStemRule()) || !set(a.getReductionRule())
                || !set(a.getClassifierRule())) {
            return List.of();
        }
        Rule fallback = Rule.BP;
        for (LearningRule r : new LearningRule[] {a.getReductionRule(), a.getClassifierRule()}) {
            if (r != LearningRule.LEARNING_RULE_HEBBIAN) {
                fallback = Rule.fromProto(r);
                break;
            }
        }
        List<Replacement> out = new ArrayList<>();
        Rule stem = Rule.fromProto(a.getStemRule());
        if (stem.learnsFromError() && stem != fallback) {
            out.add(new Replacement("stem_rule", stem, fallback, "the first trainable layer sends no error"));
        }
        boolean[] live = liveEdges(a);
        boolean[] computed = computedEdges(a);
        Rule deadTo = fallback.sendsErrorWithoutReceiving() ? Rule.BP : fallback;
        for (int i = 0; i < Nb201Plan.EDGES; i++) {
            Nb201Edge e = a.getEdges(i);
            // a dfa edge whose input is computed still sends e B^T into the cell: not free
            boolean free = !live[i] && (!computed[i] || e.getRule() != LearningRule.LEARNING_RULE_DFA);
            if (Nb201Plan.isConv(e.getOp()) && free && set(e.getRule()) && Rule.fromProto(e.getRule()) != deadTo) {
                out.add(new Replacement("edges[" + i + "].rule", Rule.fromProto(e.getRule()), deadTo,
                        "the edge is on no path from the cell's input to its output"));
            }
        }
        return out;
    }

    private static boolean set(LearningRule r) {
        return r != LearningRule.LEARNING_RULE_UNSPECIFIED && r != LearningRule.UNRECOGNIZED;
    }
}
