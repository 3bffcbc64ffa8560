package dev.mixrule.cli;

import dev.mixrule.kernel.recipe.Initialization;
import dev.mixrule.kernel.recipe.TrainingOptions;
import picocli.CommandLine.Option;

/** The training recipe as command options, shared by every command that trains (train, evaluate's backprop twin). */
final class RecipeOptions {
    @Option(names = "--epochs", defaultValue = "1", description = "epochs (default: ${DEFAULT-VALUE})") int epochs;
    @Option(names = "--batch-size", defaultValue = "64") int batchSize;
    // 0.01: the rate every bio-inspired LeNet chose on validation; at 0.05 the mixed example dies
    @Option(names = "--lr", defaultValue = "0.01") double lr;
    @Option(names = "--momentum", defaultValue = "0.9") double momentum;
    @Option(names = "--train-limit", defaultValue = "0", description = "first N training images (0 = all)") int trainLimit;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd (momentum), nesterov or adam") String optimizer;
    @Option(names = "--weight-decay", defaultValue = "5e-4") double weightDecay;
    @Option(names = "--init", defaultValue = "xavier",
            description = "xavier (BioTorch's default: W and B Xavier-uniform, biases 0) or kaiming (PyTorch's default)") String init;

    TrainingOptions toOptions() {
        return new TrainingOptions(epochs, batchSize, lr, momentum, weightDecay, trainLimit, 0, seed,
                TrainingOptions.Optimizer.fromName(optimizer)).withInit(Initialization.fromName(init));
    }
}
