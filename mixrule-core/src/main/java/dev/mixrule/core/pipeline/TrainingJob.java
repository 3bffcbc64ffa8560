package dev.mixrule.core.pipeline;

import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.LayerAlignment;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.checkpoint.Checkpoint;
import dev.mixrule.kernel.checkpoint.CheckpointStore;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.messaging.TrainingRecords;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;

/**
 * One candidate in, one training result out: validate, train, store the weights. Every failure
 * (invalid genome, unknown dataset, divergence) becomes a FAILED result with the reason, never an
 * exception, so one bad candidate cannot stop a trainer.
 */
public final class TrainingJob {
    private final CheckpointStore store;
    private final String trainerId;

    public TrainingJob(CheckpointStore store, String trainerId) {
        this.store = store;
        this.trainerId = trainerId;
    }

    public TrainingResult run(Candidate c, TrainingListener progress) {
        TrainingResult.Builder r = TrainingRecords.start(c, trainerId);
        try {
            String id = TrainingRecords.checkId(c, r);
            GenomePlan plan = GenomePlan.of(c.getGenome(), Datasets.shape(c.getDataset()));
            r.setGenome(plan.genome()).setCost(TrainingRecords.cost(plan)); // the canonical genome: what is trained
            TrainingOptions opt = TrainingOptions.fromProto(c.getTraining());
            DataSplits data = Datasets.load(c.getDataset());
            Checkpoint checkpoint = ComputeThread.call(() -> {
                TrainingRun run = GenomeTrainer.train(plan, data, opt, progress);
                try (TrainedModel model = run.model()) {
                    r.setMetrics(TrainingMetrics.newBuilder().setTrainLoss(run.trainLoss())
                            .setTrainAccuracy(run.trainAccuracy()).setValidAccuracy(run.validAccuracy())
                            .setEpochsCompleted(run.epochsCompleted()).setTrainSeconds(run.trainSeconds())
                            .setTrainImagesPerSecond(run.imagesPerSecond()).setTrainExamples(run.trainExamples())
                            .setValidExamples(run.validExamples())
                            .addAllLayerAlignment(run.layerAlignment().stream().map(LayerAlignment::toProto).toList()));
                    return store.write(id, c.getDataset(), model::save);
                }
            });
            r.setStatus(r.getMetrics().getEpochsCompleted() < opt.epochs() ? TrainingStatus.TRAINING_STATUS_EARLY_STOPPED
                    : TrainingStatus.TRAINING_STATUS_SUCCEEDED).setCheckpointUri(checkpoint.uri().toString())
                    .setCheckpointSha256(checkpoint.sha256());
        } catch (Exception | LinkageError e) {
            r.setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason(TrainingRecords.reason(e));
        }
        return r.setFinishedAtMs(System.currentTimeMillis()).build();
    }
}
