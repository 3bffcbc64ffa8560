package dev.mixrule.kernel.recipe;

import dev.mixrule.proto.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener that keeps every completed epoch's metrics (TrainingMetrics.epochs, the learning curve) and passes
 * every call on to the listener it wraps, so a training job records its curve beside whatever else listens.
 */
public final class LearningCurve implements TrainingListener {
    private final TrainingListener next;
    private final List<EpochMetrics> epochs = new ArrayList<>();

    public LearningCurve(TrainingListener next) {
        this.next = next;
    }

    @Override
    public void batch(int epoch, int epochCount, int imagesDone, int imagesTotal) {
        next.batch(epoch, epochCount, imagesDone, imagesTotal);
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

    /** The epochs completed so far, in order. */
    public List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }
}
