package dev.mixrule.core.training;

import dev.mixrule.proto.TrainingConfig;

/**
 * How to train: SGD with momentum and weight decay, learning rate cosine-annealed from
 * learningRate to 0 over all steps.
 *
 * @param trainLimit use only the first N training images (0 = all)
 * @param testLimit evaluate on only the first N validation/test images (0 = all)
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                              int trainLimit, int testLimit, long seed) {
    public static final TrainingOptions DEFAULT = new TrainingOptions(1, 64, 0.05, 0.9, 5e-4, 0, 0, 1);

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || learningRate > 10) {
            throw new IllegalArgumentException("learning_rate must be in (0, 10], got " + learningRate);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
    }

    public static TrainingOptions fromProto(TrainingConfig c) {
        return new TrainingOptions(c.getEpochs() == 0 ? DEFAULT.epochs() : c.getEpochs(),
                c.getBatchSize() == 0 ? DEFAULT.batchSize() : c.getBatchSize(),
                c.getLearningRate() == 0 ? DEFAULT.learningRate() : c.getLearningRate(),
                c.getMomentum(), DEFAULT.weightDecay(), c.getTrainLimit(), c.getTestLimit(), c.getSeed());
    }

    public TrainingConfig toProto() {
        return TrainingConfig.newBuilder().setEpochs(epochs).setBatchSize(batchSize).setLearningRate(learningRate)
                .setMomentum(momentum).setTrainLimit(trainLimit).setTestLimit(testLimit).setSeed(seed).build();
    }
}
