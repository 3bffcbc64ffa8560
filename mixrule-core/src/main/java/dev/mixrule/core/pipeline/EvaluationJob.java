package dev.mixrule.core.pipeline;

import dev.mixrule.core.checkpoint.CheckpointStore;
import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.TrainingResult;
import java.io.InputStream;
import java.net.URI;

/** One successful training result in, one evaluation result per evaluator out. Failures become FAILED results. */
public final class EvaluationJob {
    private final CheckpointStore store;

    public EvaluationJob(CheckpointStore store) {
        this.store = store;
    }

    public EvaluationResult run(TrainingResult t, Evaluator evaluator) {
        EvaluationResult.Builder r = EvaluationResult.newBuilder().setGenomeId(t.getGenomeId())
                .setExperimentId(t.getExperimentId()).setDataset(t.getDataset())
                .setEvaluator(EvaluatorId.newBuilder().setName(evaluator.name()).setVersion(evaluator.version()));
        try {
            URI uri = URI.create(t.getCheckpointUri());
            DataSplits data = Datasets.load(t.getDataset());
            Evaluator.Settings settings = new Evaluator.Settings(t.getTraining().getTestLimit());
            Evaluator.Result result = ComputeThread.call(() -> {
                try (InputStream in = store.open(uri); TrainedModel model = TrainedModel.load(in, uri.toString())) {
                    return evaluator.evaluate(model, data, settings);
                }
            });
            r.putAllMetrics(result.metrics()).setExamples(result.examples()).setProtocol(result.protocol())
                    .setUnreliable(result.unreliable()).addAllUnreliableReasons(result.unreliableReasons())
                    .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED);
        } catch (Exception | LinkageError e) {
            r.setStatus(EvaluationStatus.EVALUATION_STATUS_FAILED).setFailureReason(TrainingJob.reason(e));
        }
        return r.setEvaluatedAtMs(System.currentTimeMillis()).build();
    }
}
