package dev.mixrule.core.pipeline;

import dev.mixrule.core.checkpoint.CheckpointStore;
import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.genome.GenomePlan;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.Rule;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.LayerAlignment;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingOptions;
import dev.mixrule.core.training.TrainingProgress;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import java.net.URI;
import java.util.Map;

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

    public TrainingResult run(Candidate c, TrainingProgress progress) {
        TrainingResult.Builder r = start(c, trainerId);
        try {
            String id = checkId(c, r);
            GenomePlan plan = GenomePlan.of(c.getGenome(), Datasets.shape(c.getDataset()));
            r.setGenome(plan.genome()).setCost(cost(plan)); // the canonical genome: what is trained
            TrainingOptions opt = TrainingOptions.fromProto(c.getTraining());
            DataSplits data = Datasets.load(c.getDataset());
            URI uri = ComputeThread.call(() -> {
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
                    : TrainingStatus.TRAINING_STATUS_SUCCEEDED).setCheckpointUri(uri.toString());
        } catch (Exception | LinkageError e) {
            r.setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason(reason(e));
        }
        return r.setFinishedAtMs(System.currentTimeMillis()).build();
    }

    /** The result's fields that come from the candidate, with this trainer and the start time. */
    static TrainingResult.Builder start(Candidate c, String trainerId) {
        return TrainingResult.newBuilder().setGenomeId(c.getGenomeId()).setGenome(c.getGenome())
                .setExperimentId(c.getExperimentId()).setDataset(c.getDataset()).setTraining(c.getTraining())
                .setTrainerId(trainerId).setProposedAtMs(c.getProposedAtMs()).setStartedAtMs(System.currentTimeMillis());
    }

    /** Sets the canonical text and returns the genome's id; refuses a genome_id that is not the genome's. */
    static String checkId(Candidate c, TrainingResult.Builder r) {
        String canonical = GenomeCodec.toCanonical(c.getGenome());
        r.setCanonical(canonical);
        String id = GenomeCodec.idOfCanonical(canonical);
        if (!id.equals(c.getGenomeId())) {
            throw new IllegalArgumentException("genome_id '" + c.getGenomeId() + "' does not match the genome (its id is " + id + ")");
        }
        return id;
    }

    public static ModelCost cost(GenomePlan plan) {
        ModelCost.Builder b = ModelCost.newBuilder().setParameters(plan.parameters()).setMacs(plan.macs())
                .setBpFraction(plan.bpFraction()).setExactGradientFraction(plan.exactGradientFraction());
        for (Map.Entry<Rule, Double> e : plan.ruleFractions().entrySet()) {
            b.putRuleFractions(e.getKey().shortName(), e.getValue());
        }
        return b.build();
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
