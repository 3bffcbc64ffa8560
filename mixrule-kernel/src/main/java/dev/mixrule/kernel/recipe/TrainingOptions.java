package dev.mixrule.kernel.recipe;

import dev.mixrule.proto.TrainingConfig;
import java.util.Arrays;
import java.util.Locale;

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
    // The one place each training default is written. Strings, so that command options can name them as
    // picocli defaultValue (a constant expression); DEFAULT below parses the same strings.
    public static final String DEFAULT_EPOCHS = "1";
    public static final String DEFAULT_BATCH_SIZE = "64";
    /** The recipe's learning rate (training jobs without one, the backprop twin, transfer sources). */
    public static final String DEFAULT_LEARNING_RATE = "0.05";
    /**
     * The command line's learning rate (train, evaluate's backprop twin, experiment create), lower than
     * {@link #DEFAULT_LEARNING_RATE} on purpose: 0.01 is the rate every bio-inspired LeNet chose on validation;
     * at 0.05 the mixed example dies.
     */
    public static final String BIO_RULES_LEARNING_RATE = "0.01";
    public static final String DEFAULT_MOMENTUM = "0.9";
    public static final String DEFAULT_WEIGHT_DECAY = "5e-4";
    /** 0 = every image. */
    public static final String DEFAULT_TRAIN_LIMIT = "0";
    /** Training images per candidate of a search (experiment create), fewer than all on purpose: a search trains many. */
    public static final String SEARCH_TRAIN_LIMIT = "12000";
    public static final String DEFAULT_SEED = "1";
    public static final String DEFAULT_OPTIMIZER = "sgd";
    public static final String DEFAULT_INIT = "xavier";

    public static final TrainingOptions DEFAULT = new TrainingOptions(Integer.parseInt(DEFAULT_EPOCHS),
            Integer.parseInt(DEFAULT_BATCH_SIZE), Double.parseDouble(DEFAULT_LEARNING_RATE),
            Double.parseDouble(DEFAULT_MOMENTUM), Double.parseDouble(DEFAULT_WEIGHT_DECAY),
            Integer.parseInt(DEFAULT_TRAIN_LIMIT), 0, Long.parseLong(DEFAULT_SEED), Optimizer.fromName(DEFAULT_OPTIMIZER),
            Initialization.fromName(DEFAULT_INIT), new double[0]);

    /** SGD with momentum (heavy ball), SGD with Nesterov momentum, or Adam (beta1 = momentum or 0.9, beta2 = 0.999). */
    public enum Optimizer {
        SGD, NESTEROV, ADAM;

        public static Optimizer fromName(String name) {
            if (name == null || name.isBlank()) {
                return SGD;
            }
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
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
                .setOptimizer(optimizer.name().toLowerCase(Locale.ROOT)).setWeightDecay(weightDecay)
                .setInit(init.shortName())
                .addAllHebbianInverseTemperatures(Arrays.stream(hebbianInverseTemperatures).boxed().toList()).build();
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
