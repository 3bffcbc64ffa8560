package dev.mixrule.kernel.recipe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default constants (read by the command options) say what the recipe has always defaulted to. */
class TrainingOptionsDefaultsTest {
    @Test
    void theDefaultRecipeIsBuiltFromTheNamedConstants() {
        assertEquals(new TrainingOptions(1, 64, 0.05, 0.9, 5e-4, 0, 0, 1, TrainingOptions.Optimizer.SGD,
                Initialization.XAVIER, new double[0]), TrainingOptions.DEFAULT);
        assertEquals(TrainingOptions.DEFAULT.optimizer(), TrainingOptions.Optimizer.fromName(""), "a blank optimizer");
        assertEquals(TrainingOptions.DEFAULT.init(), Initialization.fromName(""), "a blank init");
    }

    @Test
    void theCommandLinesLearningRateIsLowerOnPurpose() {
        assertEquals(0.01, Double.parseDouble(TrainingOptions.BIO_RULES_LEARNING_RATE));
        assertTrue(Double.parseDouble(TrainingOptions.BIO_RULES_LEARNING_RATE) < TrainingOptions.DEFAULT.learningRate());
    }
}
