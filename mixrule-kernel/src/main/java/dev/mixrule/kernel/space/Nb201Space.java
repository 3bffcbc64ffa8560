package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.InvalidGenomeException;
import dev.mixrule.kernel.genome.Nb201Plan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.CellOp;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.Nb201Architecture;
import dev.mixrule.proto.Nb201Edge;
import java.util.List;
import java.util.Random;

/**
 * The NAS-Bench-201 cell space (5^6 cells) with a rule drawn for every conv edge and fixed layer.
 * DFA is left out: it needs a single chain of layers to tap.
 */
public final class Nb201Space implements dev.mixrule.kernel.space.SearchSpace {
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
        for (int attempt = 0; attempt < 100; attempt++) {
            Nb201Architecture.Builder a = parent.getNb201().toBuilder();
            int choice = random.nextInt(4);
            if (choice == 0) { // an edge's op
                int i = random.nextInt(Nb201Plan.EDGES);
                CellOp op = OPS[random.nextInt(OPS.length)];
                Nb201Edge.Builder e = Nb201Edge.newBuilder().setOp(op);
                if (Nb201Plan.isConv(op)) {
                    e.setRule(a.getEdges(i).getRule() != dev.mixrule.proto.LearningRule.LEARNING_RULE_UNSPECIFIED
                            ? a.getEdges(i).getRule() : rule(random).proto());
                }
                a.setEdges(i, e);
            } else if (choice == 1) { // a conv edge's rule
                int i = random.nextInt(Nb201Plan.EDGES);
                if (!Nb201Plan.isConv(a.getEdges(i).getOp())) {
                    continue;
                }
                a.setEdges(i, a.getEdges(i).toBuilder().setRule(rule(random).proto()));
            } else if (choice == 2) {
                a.setStemRule(rule(random).proto());
            } else {
                if (random.nextBoolean()) {
                    a.setReductionRule(rule(random).proto());
                } else {
                    a.setClassifierRule(classifierRule(random).proto());
                }
            }
            Genome child = Genome.newBuilder().setNb201(a).build();
            if (child.equals(parent)) {
                continue;
            }
            try {
                Nb201Plan.of(child, input);
                return child;
            } catch (InvalidGenomeException e) {
                // try another mutation
            }
        }
        return sample(random);
    }

    @Override
    public Genome sample(Random random) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Nb201Architecture.Builder a = Nb201Architecture.newBuilder().setCellsPerStage(cells).setChannels(channels)
                    .setStemRule(rule(random).proto()).setReductionRule(rule(random).proto())
                    .setClassifierRule(classifierRule(random).proto());
            for (int i = 0; i < Nb201Plan.EDGES; i++) {
                CellOp op = OPS[random.nextInt(OPS.length)];
                Nb201Edge.Builder e = Nb201Edge.newBuilder().setOp(op);
                if (Nb201Plan.isConv(op)) {
                    e.setRule(rule(random).proto());
                }
                a.addEdges(e);
            }
            Genome g = Genome.newBuilder().setNb201(a).build();
            try {
                Nb201Plan.of(g, input);
                return g;
            } catch (InvalidGenomeException e) {
                // a cell with no path from input to output: draw again
            }
        }
        throw new IllegalStateException("no valid nb201 genome after 1000 draws");
    }

    private Rule rule(Random random) {
        return draws.any(random);
    }

    private Rule classifierRule(Random random) {
        return draws.classifier(random);
    }
}
