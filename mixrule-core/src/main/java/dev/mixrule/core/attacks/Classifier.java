package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mixrule.core.training.TrainedModel;

/**
 * What an attack sees: the deployed forward function from images in [0,1] to logits. Attacks
 * differentiate exactly this function (never a training-time feedback path). Run on the compute thread.
 */
public interface Classifier {
    NDArray logits(NDArray images);

    NDManager manager();

    /** Shape of one image (channels, height, width). */
    long[] imageShape();

    /** Clears parameter gradients that attack backward passes accumulated. */
    default void clearParameterGradients() {}

    static Classifier of(TrainedModel model) {
        long[] shape = {model.plan().input().channels(), model.plan().input().height(), model.plan().input().width()};
        return new Classifier() {
            @Override
            public NDArray logits(NDArray images) {
                return model.logits(images, false);
            }

            @Override
            public NDManager manager() {
                return model.manager();
            }

            @Override
            public long[] imageShape() {
                return shape;
            }

            @Override
            public void clearParameterGradients() {
                model.block().getParameters().values().forEach(p -> {
                    if (p.requiresGradient() && p.getArray().hasGradient()) {
                        p.getArray().getGradient().muli(0);
                    }
                });
            }
        };
    }
}
