package dev.mixrule.core.training;

import dev.mixrule.kernel.recipe.TrainingListener;
import java.util.List;

/**
 * What one training run produced; stoppedEarly when {@link TrainingListener#stopRequested} cut it short. The model is
 * open: close it after saving or evaluating. lastEpochImagesPerSecond: the last epoch's training loop alone, the
 * steady rate once warm-up (JIT, kernel selection) is behind.
 */
public record TrainingRun(TrainedModel model, double trainLoss, double trainAccuracy, double validAccuracy,
                          int epochsCompleted, double trainSeconds, double imagesPerSecond,
                          int trainExamples, int validExamples, boolean stoppedEarly,
                          List<LayerAlignment> layerAlignment, double lastEpochImagesPerSecond) {}
