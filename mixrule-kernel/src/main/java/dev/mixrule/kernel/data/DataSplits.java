package dev.mixrule.kernel.data;

/** Train, validation and test splits of one dataset. Models are chosen on valid, reported on test. */
public record DataSplits(String dataset, ImageDataset train, ImageDataset valid, ImageDataset test) {}
