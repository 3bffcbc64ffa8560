package dev.mixrule.kernel.simulation;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.messaging.TrainingRecords;
import dev.mixrule.kernel.recipe.LearningCurve;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import java.util.Map;

/**
 * Training and evaluation without DJL, for driving the real pipeline at rates no GPU farm reaches (the
 * scale benchmark) and for testing early stopping fast: scores come from {@link SyntheticObjective},
 * everything else (validation, ids, cost, records, topics) is what the real jobs do. The learning curve
 * rises towards the synthetic accuracy, so early-stopping rules see realistic progress.
 */
public final class SimulatedTraining {
    public static final String EVALUATOR = "simulated";

    private final String trainerId;
    private final long epochMillis;

    /** @param epochMillis simulated wall time of one epoch (0 = as fast as possible) */
    public SimulatedTraining(String trainerId, long epochMillis) {
        this.trainerId = trainerId;
        this.epochMillis = epochMillis;
    }

    public TrainingResult run(Candidate c, TrainingListener progress) {
        return TrainingRecords.record(c, trainerId, (id, plan, r) -> {
            int epochs = TrainingOptions.fromProto(c.getTraining()).epochs();
            double target = new SyntheticObjective(plan.input()).score(c.getGenome()).get("accuracy");
            int done = 0;
            double valid = 0;
            LearningCurve curve = new LearningCurve(progress);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (epochMillis > 0) {
                    Thread.sleep(epochMillis);
                }
                valid = target * (1 - Math.pow(0.5, epoch + 1)); // rises towards the target, same ranking at every epoch
                done = epoch;
                curve.epochEnd(epoch, epochs, 1 - valid, valid, valid);
                if (epoch < epochs && curve.stopRequested()) {
                    break;
                }
            }
            r.setMetrics(TrainingMetrics.newBuilder().setValidAccuracy(valid).setTrainAccuracy(valid).setTrainLoss(1 - valid)
                    .setEpochsCompleted(done).setTrainSeconds(done * epochMillis / 1000.0).addAllEpochs(curve.epochs()));
            r.setStatus(done < epochs ? TrainingStatus.TRAINING_STATUS_EARLY_STOPPED : TrainingStatus.TRAINING_STATUS_SUCCEEDED);
        });
    }

    /**
     * The simulated evaluator's one result from the synthetic objective: the robust score as the
     * validation-split metric the default Pareto front selects on, and test and PGD accuracy as reports.
     */
    public static EvaluationResult evaluate(TrainingResult t) {
        EvaluationResult.Builder r = EvaluationResult.newBuilder().setGenomeId(t.getGenomeId())
                .setExperimentId(t.getExperimentId()).setDataset(t.getDataset())
                .setEvaluator(EvaluatorId.newBuilder().setName(EVALUATOR).setVersion("1")).setProtocol("synthetic");
        try {
            Map<String, Double> s = new SyntheticObjective(Datasets.shape(t.getDataset())).score(t.getGenome());
            r.putMetrics("test_accuracy", s.get("accuracy")).putMetrics("pgd_accuracy", s.get("robust_accuracy"))
                    .putMetrics(SelectionMetrics.VALID_APGD_ACCURACY, s.get("robust_accuracy"))
                    .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED);
        } catch (RuntimeException e) {
            r.setStatus(EvaluationStatus.EVALUATION_STATUS_FAILED).setFailureReason(TrainingRecords.reason(e));
        }
        return r.setEvaluatedAtMs(System.currentTimeMillis()).build();
    }
}
