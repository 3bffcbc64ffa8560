package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Nb201Plan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.CellOp;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import dev.mixrule.proto.Nb201Architecture;
import dev.mixrule.proto.Nb201Edge;
import java.util.List;
import java.util.Random;

/**
 * The NAS-Bench-201 cell space (5^6 cells) with a rule drawn for every conv edge and fixed layer.
 * DFA is left out: it needs a single chain of layers to tap.
 */
public final class Nb201Space implements SearchSpace {
    static final CellOp[] OPS = {CellOp.CELL_OP_NONE, CellOp.CELL_OP_SKIP_CONNECT, CellOp.CELL_OP_NOR_CONV_1X1,
            CellOp.CELL_OP_NOR_CONV_3X3, CellOp.CELL_OP_AVG_POOL_3X3};

    private final InputShape input;
    private final RuleDraws draws;
    private final int cells;
    private final int channels;

    public Nb201Space(InputShape input, List<Rule> rules) {
        this(input, rules, Nb201Plan.DEFAULT_CELLS, Nb201Plan.DEFAULT_CHANNELS);
    }

    public Nb201Space(InputShape input, List<Rule> rules, int cells, int channels) {
        this.input = input;
        List<Rule> usable = rules.stream().filter(r -> r != Rule.DFA).toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("the nb201 space needs at least one rule other than dfa");
        }
        this.draws = new RuleDraws(usable);
        this.cells = cells;
        this.channels = channels;
    }

    @Override
    public Genome mutate(Genome parent, Random random) {
        return ValidDraws.first(100, input, parent, () -> mutation(parent, random)).orElseGet(() -> sample(random));
    }

    @Override
    public Genome sample(Random random) {
        return ValidDraws.first(1000, input, null, () -> draw(random))
                .orElseThrow(() -> new IllegalStateException("no valid nb201 genome after 1000 draws"));
    }

    /** One step from the parent, or null when the step drawn does not apply (a rule for an edge with no conv). */
    private Genome mutation(Genome parent, Random random) {
        Nb201Architecture.Builder a = parent.getNb201().toBuilder();
        int choice = random.nextInt(4);
        if (choice == 0) { // an edge's op
            int i = random.nextInt(Nb201Plan.EDGES);
            CellOp op = OPS[random.nextInt(OPS.length)];
            Nb201Edge.Builder e = Nb201Edge.newBuilder().setOp(op);
            if (Nb201Plan.isConv(op)) {
                e.setRule(a.getEdges(i).getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED
                        ? a.getEdges(i).getRule() : draws.any(random).proto());
            }
            a.setEdges(i, e);
        } else if (choice == 1) { // a conv edge's rule
            int i = random.nextInt(Nb201Plan.EDGES);
            if (!Nb201Plan.isConv(a.getEdges(i).getOp())) {
                return null;
            }
            a.setEdges(i, a.getEdges(i).toBuilder().setRule(draws.any(random).proto()));
        } else if (choice == 2) {
            a.setStemRule(draws.any(random).proto());
        } else if (random.nextBoolean()) {
            a.setReductionRule(draws.any(random).proto());
        } else {
            a.setClassifierRule(draws.classifier(random).proto());
        }
        return Genome.newBuilder().setNb201(a).build();
    }

    private Genome draw(Random random) {
        Nb201Architecture.Builder a = Nb201Architecture.newBuilder().setCellsPerStage(cells).setChannels(channels)
                .setStemRule(draws.any(random).proto()).setReductionRule(draws.any(random).proto())
                .setClassifierRule(draws.classifier(random).proto());
        for (int i = 0; i < Nb201Plan.EDGES; i++) {
            CellOp op = OPS[random.nextInt(OPS.length)];
            Nb201Edge.Builder e = Nb201Edge.newBuilder().setOp(op);
            if (Nb201Plan.isConv(op)) {
                e.setRule(draws.any(random).proto());
            }
            a.addEdges(e);
        }
        return Genome.newBuilder().setNb201(a).build();
    }
}
