package dev.mixrule.core.pipeline;

import ai.djl.Device;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.LayerAlignment;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingDevices;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.checkpoint.Checkpoint;
import dev.mixrule.kernel.checkpoint.CheckpointStore;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.kernel.messaging.TrainingRecords;
import dev.mixrule.kernel.recipe.LearningCurve;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;

/**
 * One candidate in, one training result out: validate, train, store the weights. Every failure
 * becomes a FAILED result with the reason, never an exception ({@link TrainingRecords#record}).
 */
public final class TrainingJob {
    /** The setting that names a trainer's device; errors about the device name it. */
    public static final String DEVICE_SETTING = "mixrule.trainer.device";

    private final CheckpointStore store;
    private final String trainerId;
    private final Device device;

    /** Trains on the engine's default device. */
    public TrainingJob(CheckpointStore store, String trainerId) {
        this(store, trainerId, DeviceSpec.AUTO);
    }

    /** Trains on {@code device}, resolved now: a GPU the engine does not see fails here, naming the setting. */
    public TrainingJob(CheckpointStore store, String trainerId, DeviceSpec device) {
        this.store = store;
        this.trainerId = trainerId;
        this.device = ComputeThread.call(() -> TrainingDevices.resolve(DEVICE_SETTING, device));
    }

    /** The device every candidate trains on, as results report it: cpu or gpu(N). */
    public String device() {
        return TrainingDevices.name(device);
    }

    /** Trains the candidate; the result (failed ones too) reports the device. */
    public TrainingResult run(Candidate c, TrainingListener progress) {
        return train(c, progress).toBuilder().setDevice(device()).build();
    }

    private TrainingResult train(Candidate c, TrainingListener progress) {
        return TrainingRecords.record(c, trainerId, (id, plan, r) -> {
            r.setGenome(plan.genome()); // the canonical genome: what is trained
            TrainingOptions opt = TrainingOptions.fromProto(c.getTraining());
            DataSplits data = Datasets.load(c.getDataset());
            LearningCurve curve = new LearningCurve(progress);
            Checkpoint checkpoint = ComputeThread.call(() -> {
                TrainingRun run = GenomeTrainer.train(plan, data, opt, curve, device);
                try (TrainedModel model = run.model()) {
                    r.setMetrics(TrainingMetrics.newBuilder().setTrainLoss(run.trainLoss())
                            .setTrainAccuracy(run.trainAccuracy()).setValidAccuracy(run.validAccuracy())
                            .setEpochsCompleted(run.epochsCompleted()).setTrainSeconds(run.trainSeconds())
                            .setTrainImagesPerSecond(run.imagesPerSecond()).setTrainExamples(run.trainExamples())
                            .setValidExamples(run.validExamples())
                            .addAllLayerAlignment(run.layerAlignment().stream().map(LayerAlignment::toProto).toList())
                            .addAllEpochs(curve.epochs()));
                    return store.write(id, c.getDataset(), model::save);
                }
            });
            r.setStatus(r.getMetrics().getEpochsCompleted() < opt.epochs() ? TrainingStatus.TRAINING_STATUS_EARLY_STOPPED
                    : TrainingStatus.TRAINING_STATUS_SUCCEEDED).setCheckpointUri(checkpoint.uri().toString())
                    .setCheckpointSha256(checkpoint.sha256());
        });
    }
}
