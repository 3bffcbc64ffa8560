package dev.mixrule.core.training;

/** What one training run produced. The model is open: close it after saving or evaluating. */
public record TrainingRun(TrainedModel model, double trainLoss, double trainAccuracy, double validAccuracy,
                          int epochsCompleted, double trainSeconds, double imagesPerSecond,
                          int trainExamples, int validExamples) {}
