package dev.mixrule.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mixrule.core.rules.FeedbackRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of stages (one genome layer and its activation each) between an input normalisation and
 * the logits. It owns what crosses layers: the DFA taps. After a DFA stage, in training, the output
 * h is cut from the stages above and {@code p - stopGradient(p)}, p = flatten(h) B^T, is added to the
 * logits, so the stage receives dL/dh = e B with e = dL/dlogits.
 */
public final class ChainNetwork extends RuleNetwork {
    private static final byte VERSION = 1;

    private final Normalization norm;
    private final int inputPadding;
    private final List<Block> stages = new ArrayList<>();
    private final List<Parameter> directFeedback = new ArrayList<>();
    private final List<Long> tapFeatures = new ArrayList<>();
    private final int classes;

    ChainNetwork(Normalization norm, int inputPadding, int classes) {
        super(VERSION);
        this.norm = norm;
        this.inputPadding = inputPadding;
        this.classes = classes;
    }

    /** Adds a stage; a DFA stage gets its fixed matrix B (classes x features of its output). */
    void addStage(Block stage, boolean directFeedbackTap, long outFeatures) {
        addChildBlock(String.format("stage%02d", stages.size()), stage);
        stages.add(stage);
        if (directFeedbackTap) {
            Parameter b = addParameter(Parameter.builder().setName(String.format("dfa%02d", stages.size() - 1))
                    .setType(Parameter.Type.WEIGHT).optRequiresGrad(false).optShape(new Shape(classes, outFeatures))
                    .optInitializer((m, s, t) -> {
                        float bound = FeedbackRule.xavierBound(s.get(1), s.get(0));
                        return m.randomUniform(-bound, bound, s, t);
                    }).build());
            directFeedback.add(b);
            tapFeatures.add(outFeatures);
        } else {
            directFeedback.add(null);
            tapFeatures.add(0L);
        }
    }

    public List<Block> stages() {
        return stages;
    }

    /** The fixed DFA matrix of stage i, or null. */
    public Parameter directFeedbackMatrix(int stage) {
        return directFeedback.get(stage);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow().sub(norm.mean()).div(norm.std());
        if (inputPadding > 0) {
            x = x.pad(new Shape(inputPadding, inputPadding, inputPadding, inputPadding), 0);
        }
        List<NDArray> taps = new ArrayList<>();
        List<Parameter> tapMatrices = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
            Parameter b = directFeedback.get(i);
            if (training && b != null) {
                taps.add(x);
                tapMatrices.add(b);
                x = x.stopGradient();
            }
        }
        NDArray logits = x;
        for (int i = 0; i < taps.size(); i++) {
            NDArray h = taps.get(i);
            NDArray bm = ps.getValue(tapMatrices.get(i), h.getDevice(), training);
            NDArray p = h.reshape(h.getShape().get(0), -1).matMul(bm.transpose());
            logits = logits.add(p.sub(p.stopGradient()));
        }
        return new NDList(logits);
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
