package dev.mixrule.cli;

import dev.mixrule.kernel.recipe.Initialization;
import dev.mixrule.kernel.recipe.TrainingOptions;
import picocli.CommandLine.Option;

/** The training recipe as command options, shared by every command that trains (train, evaluate's backprop twin). */
final class RecipeOptions {
    @Option(names = "--epochs", defaultValue = TrainingOptions.DEFAULT_EPOCHS, description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch-size", defaultValue = TrainingOptions.DEFAULT_BATCH_SIZE) int batchSize;
    // lower than the recipe's default on purpose: see TrainingOptions.BIO_RULES_LEARNING_RATE
    @Option(names = "--lr", defaultValue = TrainingOptions.BIO_RULES_LEARNING_RATE) double lr;
    @Option(names = "--momentum", defaultValue = TrainingOptions.DEFAULT_MOMENTUM) double momentum;
    @Option(names = "--train-limit", defaultValue = TrainingOptions.DEFAULT_TRAIN_LIMIT,
            description = "first N training images (0 = all)") int trainLimit;
    @Option(names = "--seed", defaultValue = TrainingOptions.DEFAULT_SEED) long seed;
    @Option(names = "--optimizer", defaultValue = TrainingOptions.DEFAULT_OPTIMIZER,
            description = "sgd (momentum), nesterov or adam") String optimizer;
    @Option(names = "--weight-decay", defaultValue = TrainingOptions.DEFAULT_WEIGHT_DECAY) double weightDecay;
    @Option(names = "--init", defaultValue = TrainingOptions.DEFAULT_INIT,
            description = "xavier (BioTorch's default: W and B Xavier-uniform, biases 0) or kaiming (PyTorch's default)") String init;

    TrainingOptions toOptions() {
        return new TrainingOptions(epochs, batchSize, lr, momentum, weightDecay, trainLimit, 0, seed,
                TrainingOptions.Optimizer.fromName(optimizer)).withInit(Initialization.fromName(init));
    }
}
