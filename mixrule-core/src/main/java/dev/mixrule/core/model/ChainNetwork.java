package dev.mixrule.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.mixrule.core.rules.RuleContext;
import dev.mixrule.kernel.data.Normalization;
import java.util.ArrayList;
import java.util.List;

/** A chain of stages (one genome layer and its activation each) between an input normalisation and the logits. */
public final class ChainNetwork extends RuleNetwork {
    private static final byte VERSION = 2;

    private final Normalization norm;
    private final int inputPadding;
    private final List<Block> stages = new ArrayList<>();
    private final int classes;

    ChainNetwork(Normalization norm, int inputPadding, RuleContext context) {
        super(VERSION, context);
        this.norm = norm;
        this.inputPadding = inputPadding;
        this.classes = context.classes();
    }

    void addStage(Block stage) {
        addChildBlock(String.format("stage%02d", stages.size()), stage);
        stages.add(stage);
    }

    @Override
    protected NDArray logits(ParameterStore ps, NDArray images, boolean training) {
        NDArray x = images.sub(norm.mean()).div(norm.std());
        if (inputPadding > 0) {
            x = x.pad(new Shape(inputPadding, inputPadding, inputPadding, inputPadding), 0);
        }
        for (Block stage : stages) {
            x = stage.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (inputPadding > 0) {
            s = new Shape(s.get(0), s.get(1), s.get(2) + 2L * inputPadding, s.get(3) + 2L * inputPadding);
        }
        for (Block stage : stages) {
            stage.initialize(manager, dataType, s);
            s = stage.getOutputShapes(new Shape[] {s})[0];
        }
    }
}
