package dev.mixrule.kernel.recipe;

import dev.mixrule.proto.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RecipeTest {
    static final TrainingConfig BASE = TrainingConfig.newBuilder().setEpochs(2).setBatchSize(64).setLearningRate(0.01)
            .setMomentum(0.9).setTrainLimit(12000).setSeed(1).build();

    @Test
    void everyFieldThatChangesTrainingChangesTheRecipe() {
        String base = Recipe.key(BASE);
        assertEquals(16, base.length());
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setEpochs(3).build()), "epochs");
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setLearningRate(0.02).build()), "learning rate");
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setTrainLimit(6000).build()), "train_limit");
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setBatchSize(32).build()), "batch size");
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setOptimizer("adam").build()), "optimizer");
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setWeightDecay(1e-3).build()), "weight decay");
        assertNotEquals(base, Recipe.key(BASE.toBuilder().setSeed(2).build()), "seed");
    }

    @Test
    void defaultsAreResolvedBeforeHashing() {
        TrainingConfig unset = TrainingConfig.newBuilder().setSeed(1).build();
        TrainingConfig explicit = dev.mixrule.kernel.recipe.TrainingOptions.fromProto(unset).toProto();
        assertEquals(Recipe.key(explicit), Recipe.key(unset), "epochs 0 means the default epochs: one recipe");
        assertEquals(Recipe.key(BASE.toBuilder().setOptimizer("SGD").build()), Recipe.key(BASE), "sgd is the default optimizer");
        assertEquals(Recipe.key(BASE), Recipe.key(BASE.toBuilder().build()), "stable");
    }

    @Test
    void initialisationAndHebbianTemperaturesArePartOfTheRecipeAndResolveOnce() {
        assertNotEquals(Recipe.key(BASE), Recipe.key(BASE.toBuilder().setInit("kaiming").build()), "init");
        TrainingConfig t = BASE.toBuilder().addHebbianInverseTemperatures(0.5).build();
        assertNotEquals(Recipe.key(BASE), Recipe.key(t), "inverse temperatures");
        assertEquals(java.util.List.of(0.5), Recipe.resolve(t).getHebbianInverseTemperaturesList(), "not appended twice");
    }
}
