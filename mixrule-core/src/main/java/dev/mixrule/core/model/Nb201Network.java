package dev.mixrule.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mixrule.core.rules.FeedbackConv2d;
import dev.mixrule.core.rules.FeedbackDense;
import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.core.rules.RuleContext;
import dev.mixrule.kernel.data.Normalization;
import dev.mixrule.kernel.genome.Nb201Plan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.CellOp;
import dev.mixrule.proto.Nb201Architecture;
import dev.mixrule.proto.Nb201Edge;

/**
 * The NAS-Bench-201 skeleton with a rule per conv: stem conv + BN, three stages of N cells (C, 2C, 4C)
 * with a stride-2 residual block between stages, BN + ReLU, global average pool, linear.
 */
public final class Nb201Network extends RuleNetwork {
    private static final byte VERSION = 2;
    private final Normalization norm;
    private final SequentialBlock body = new SequentialBlock();

    public Nb201Network(Nb201Plan plan, Normalization norm, RuleContext context) {
        super(VERSION, context);
        this.norm = norm;
        Nb201Architecture a = plan.genome().getNb201();
        int c = plan.channels();
        body.add(conv(context, Rule.fromProto(a.getStemRule()), c, 3, 1)).add(BatchNorm.builder().build());
        int[] widths = {c, 2 * c, 4 * c};
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                body.add(new ResidualReduction(context, Rule.fromProto(a.getReductionRule()), widths[stage]));
            }
            for (int i = 0; i < plan.cellsPerStage(); i++) {
                body.add(new Cell(context, a, widths[stage]));
            }
        }
        body.add(BatchNorm.builder().build()).add(Activation.reluBlock()).add(Pool.globalAvgPool2dBlock())
                .add(new FeedbackDense(LearningRules.get(Rule.fromProto(a.getClassifierRule())), context, plan.input().classes()));
        addChildBlock("body", body);
    }

    static FeedbackConv2d conv(RuleContext context, Rule rule, int out, int kernel, int stride) {
        return new FeedbackConv2d(LearningRules.get(rule), context, out, kernel, kernel / 2, stride, false);
    }

    /** ReLU -> Conv (no bias) -> BatchNorm. */
    static SequentialBlock reluConvBn(RuleContext context, Rule rule, int out, int kernel, int stride) {
        return new SequentialBlock().add(Activation.reluBlock()).add(conv(context, rule, out, kernel, stride))
                .add(BatchNorm.builder().build());
    }

    @Override
    protected NDArray logits(ParameterStore ps, NDArray images, boolean training) {
        NDArray x = images.sub(norm.mean()).div(norm.std());
        return body.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }

    /** One cell: node_j = sum over i < j of op_ij(node_i); output node 3. */
    static final class Cell extends BranchingBlock {
        private final Block[] ops = new Block[Nb201Plan.EDGES];
        private final boolean[] zero = new boolean[Nb201Plan.EDGES];

        Cell(RuleContext context, Nb201Architecture a, int channels) {
            for (int i = 0; i < Nb201Plan.EDGES; i++) {
                Nb201Edge e = a.getEdges(i);
                Block op = switch (e.getOp()) {
                    case CELL_OP_NOR_CONV_1X1 -> reluConvBn(context, Rule.fromProto(e.getRule()), channels, 1, 1);
                    case CELL_OP_NOR_CONV_3X3 -> reluConvBn(context, Rule.fromProto(e.getRule()), channels, 3, 1);
                    case CELL_OP_AVG_POOL_3X3 -> Pool.avgPool2dBlock(new Shape(3, 3), new Shape(1, 1), new Shape(1, 1));
                    default -> null; // none and skip_connect need no block
                };
                zero[i] = e.getOp() == CellOp.CELL_OP_NONE;
                if (op != null) {
                    ops[i] = addChildBlock("edge" + i, op);
                }
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray[] nodes = new NDArray[4];
            nodes[0] = inputs.singletonOrThrow();
            for (int i = 0; i < Nb201Plan.EDGES; i++) {
                NDArray src = nodes[Nb201Plan.FROM[i]];
                if (zero[i] || src == null) {
                    continue;
                }
                NDArray out = ops[i] == null ? src : ops[i].forward(ps, new NDList(src), training).singletonOrThrow();
                int to = Nb201Plan.TO[i];
                nodes[to] = nodes[to] == null ? out : nodes[to].add(out);
            }
            return new NDList(nodes[3]);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** NAS-Bench-201's ResNet basic block: relu-conv3x3(s2)-bn, relu-conv3x3-bn, plus avgpool2 + conv1x1 shortcut. */
    static final class ResidualReduction extends BranchingBlock {
        private final SequentialBlock main;
        private final SequentialBlock shortcut;

        ResidualReduction(RuleContext context, Rule rule, int out) {
            main = addChildBlock("main", new SequentialBlock().add(reluConvBn(context, rule, out, 3, 2))
                    .add(reluConvBn(context, rule, out, 3, 1)));
            shortcut = addChildBlock("shortcut", new SequentialBlock()
                    .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true))
                    .add(conv(context, rule, out, 1, 1)));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray a = main.forward(ps, inputs, training).singletonOrThrow();
            NDArray b = shortcut.forward(ps, inputs, training).singletonOrThrow();
            return new NDList(a.add(b));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return main.getOutputShapes(inputShapes);
        }
    }

    /** A block whose branches all read the block's input: each child is initialised for that input, in the order added. */
    abstract static class BranchingBlock extends AbstractBlock {
        BranchingBlock() {
            super(VERSION);
        }

        @Override
        protected final void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            getChildren().values().forEach(child -> child.initialize(manager, dataType, inputShapes));
        }
    }
}
