package dev.mixrule.kernel.recipe;

import dev.mixrule.proto.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/** Keeps a run's learning curve (one {@link EpochMetrics} per completed epoch) and passes every call on to another listener. */
public final class LearningCurve implements TrainingListener {
    private final TrainingListener next;
    private final List<EpochMetrics> epochs = new ArrayList<>();

    public LearningCurve(TrainingListener next) {
        this.next = next;
    }

    @Override
    public void batch(int epoch, int epochs, int imagesDone, int imagesTotal, double runningLoss) {
        next.batch(epoch, epochs, imagesDone, imagesTotal, runningLoss);
    }

    @Override
    public void epochEnd(int epoch, int epochCount, double loss, double trainAccuracy, double validAccuracy) {
        epochs.add(EpochMetrics.newBuilder().setEpoch(epoch).setTrainLoss(loss).setTrainAccuracy(trainAccuracy)
                .setValidAccuracy(validAccuracy).build());
        next.epochEnd(epoch, epochCount, loss, trainAccuracy, validAccuracy);
    }

    @Override
    public boolean stopRequested() {
        return next.stopRequested();
    }

    /** The completed epochs so far, in order. */
    public List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }
}
