package dev.mixrule.kernel.recipe;

/** Receives progress of one training run (called on the compute thread; keep it cheap). */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    /**
     * Called every few batches: images seen so far in this epoch and the epoch's total. No running loss: reading it
     * would make the trainer wait for the device inside the epoch; the loss comes with {@link #epochEnd}.
     */
    default void batch(int epoch, int epochs, int imagesDone, int imagesTotal) {}

    default void epochEnd(int epoch, int epochs, double loss, double trainAccuracy, double validAccuracy) {}

    /** Asked after each epoch but the last: true stops training there (early stopping), keeping that epoch's weights. */
    default boolean stopRequested() {
        return false;
    }
}
