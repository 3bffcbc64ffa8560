package dev.mixrule.core.pipeline;

import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.checkpoint.CheckpointStore;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.messaging.TrainingRecords;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.TrainingResult;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** One successful training result in, one evaluation result per evaluator out. Failures become FAILED results. */
public final class EvaluationJob {
    private final CheckpointStore store;

    public EvaluationJob(CheckpointStore store) {
        this.store = store;
    }

    public EvaluationResult run(TrainingResult t, Evaluator evaluator) {
        return run(t, List.of(evaluator)).get(0);
    }

    /** Loads the weights once and runs every evaluator on them; one result per evaluator, in order. */
    public List<EvaluationResult> run(TrainingResult t, List<Evaluator> evaluators) {
        List<EvaluationResult.Builder> results = new ArrayList<>();
        for (Evaluator e : evaluators) {
            results.add(EvaluationResult.newBuilder().setGenomeId(t.getGenomeId()).setExperimentId(t.getExperimentId())
                    .setDataset(t.getDataset()).setEvaluator(EvaluatorId.newBuilder().setName(e.name()).setVersion(e.version())));
        }
        try {
            URI uri = URI.create(t.getCheckpointUri());
            DataSplits data = Datasets.load(t.getDataset());
            // the recipe lets the robustness evaluator train the model's backprop twin the same way
            Evaluator.Settings settings = new Evaluator.Settings(t.getTraining().getTestLimit(),
                    TrainingOptions.fromProto(t.getTraining()));
            ComputeThread.call(() -> {
                byte[] bytes = store.read(uri, t.getCheckpointSha256()); // inside the store, hash verified, before parsing
                try (TrainedModel model = TrainedModel.load(new ByteArrayInputStream(bytes), uri.toString())) {
                    for (int i = 0; i < evaluators.size(); i++) {
                        EvaluationResult.Builder r = results.get(i);
                        try {
                            Evaluator.Result result = evaluators.get(i).evaluate(model, data, settings);
                            if (result.failed()) { // e.g. an attack that cannot differentiate the model: no numbers
                                r.setProtocol(result.protocol()).setExamples(result.examples())
                                        .setStatus(EvaluationStatus.EVALUATION_STATUS_FAILED).setFailureReason(result.failureReason());
                                continue;
                            }
                            r.putAllMetrics(result.metrics()).setExamples(result.examples()).setProtocol(result.protocol())
                                    .setUnreliable(result.unreliable()).addAllUnreliableReasons(result.unreliableReasons())
                                    .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED);
                        } catch (RuntimeException | LinkageError e) {
                            fail(r, e);
                        }
                    }
                }
                return null;
            });
        } catch (Exception | LinkageError e) {
            results.forEach(r -> fail(r, e)); // the weights or the data could not be read
        }
        long now = System.currentTimeMillis();
        return results.stream().map(r -> r.setEvaluatedAtMs(now).build()).toList();
    }

    private static void fail(EvaluationResult.Builder r, Throwable e) {
        r.clearMetrics().setStatus(EvaluationStatus.EVALUATION_STATUS_FAILED).setFailureReason(TrainingRecords.reason(e));
    }
}
