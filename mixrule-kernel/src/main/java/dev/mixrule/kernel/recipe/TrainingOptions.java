package dev.mixrule.kernel.recipe;

import dev.mixrule.proto.TrainingConfig;

/**
 * How to train: an optimizer with weight decay, the learning rate warmed up then cosine-annealed
 * to 0 over all steps.
 *
 * @param trainLimit use only the first N training images (0 = all)
 * @param testLimit evaluate on only the first N validation/test images (0 = all)
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                              int trainLimit, int testLimit, long seed, Optimizer optimizer, Initialization init,
                              double[] hebbianInverseTemperatures) {
    public static final TrainingOptions DEFAULT = new TrainingOptions(1, 64, 0.05, 0.9, 5e-4, 0, 0, 1);

    /** SGD with momentum (heavy ball), SGD with Nesterov momentum, or Adam (beta1 = momentum or 0.9, beta2 = 0.999). */
    public enum Optimizer {
        SGD, NESTEROV, ADAM;

        public static Optimizer fromName(String name) {
            if (name == null || name.isBlank()) {
                return SGD;
            }
            try {
                return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: sgd, nesterov, adam");
            }
        }
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                           int trainLimit, int testLimit, long seed) {
        this(epochs, batchSize, learningRate, momentum, weightDecay, trainLimit, testLimit, seed, Optimizer.SGD);
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                           int trainLimit, int testLimit, long seed, Optimizer optimizer) {
        this(epochs, batchSize, learningRate, momentum, weightDecay, trainLimit, testLimit, seed, optimizer,
                Initialization.XAVIER, new double[0]);
    }

    /** The same options with another initialisation. */
    public TrainingOptions withInit(Initialization i) {
        return new TrainingOptions(epochs, batchSize, learningRate, momentum, weightDecay, trainLimit, testLimit, seed,
                optimizer, i, hebbianInverseTemperatures);
    }


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
        if (optimizer == null) {
            optimizer = Optimizer.SGD;
        }
        if (init == null) {
            init = Initialization.XAVIER;
        }
        hebbianInverseTemperatures = hebbianInverseTemperatures == null ? new double[0] : hebbianInverseTemperatures.clone();
        for (double t : hebbianInverseTemperatures) {
            if (!(t > 0) || t > 1000) {
                throw new IllegalArgumentException("hebbian_inverse_temperatures must be in (0, 1000], got " + t);
            }
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
    }

    public static TrainingOptions fromProto(TrainingConfig c) {
        return new TrainingOptions(c.getEpochs() == 0 ? DEFAULT.epochs() : c.getEpochs(),
                c.getBatchSize() == 0 ? DEFAULT.batchSize() : c.getBatchSize(),
                c.getLearningRate() == 0 ? DEFAULT.learningRate() : c.getLearningRate(),
                c.getMomentum(), c.getWeightDecay() == 0 ? DEFAULT.weightDecay() : c.getWeightDecay(), c.getTrainLimit(),
                c.getTestLimit(), c.getSeed(), Optimizer.fromName(c.getOptimizer()), Initialization.fromName(c.getInit()),
                c.getHebbianInverseTemperaturesList().stream().mapToDouble(Double::doubleValue).toArray());
    }

    public TrainingConfig toProto() {
        return TrainingConfig.newBuilder().setEpochs(epochs).setBatchSize(batchSize).setLearningRate(learningRate)
                .setMomentum(momentum).setTrainLimit(trainLimit).setTestLimit(testLimit).setSeed(seed)
                .setOptimizer(optimizer.name().toLowerCase(java.util.Locale.ROOT)).setWeightDecay(weightDecay)
                .setInit(init.shortName())
                .addAllHebbianInverseTemperatures(java.util.Arrays.stream(hebbianInverseTemperatures).boxed().toList()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingOptions t && toProto().equals(t.toProto());
    }

    @Override
    public int hashCode() {
        return toProto().hashCode();
    }

    @Override
    public String toString() {
        return "TrainingOptions{" + toProto().toString().replace('\n', ' ').trim() + "}";
    }
}
