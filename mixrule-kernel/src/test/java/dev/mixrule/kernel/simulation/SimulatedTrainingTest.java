package dev.mixrule.kernel.simulation;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedTrainingTest {
    static Candidate candidate(int epochs) {
        Genome g = GenomeCodec.fromCanonical("chain:pad0|conv3x3-16-p1-relu@fa|maxpool2|dense-10@usf");
        return Candidate.newBuilder().setGenomeId(GenomeCodec.id(g)).setGenome(g).setExperimentId("sim").setDataset("fashion-mnist")
                .setTraining(TrainingConfig.newBuilder().setEpochs(epochs)).setProposedAtMs(42).build();
    }

    @Test
    void aSimulatedRunReportsARisingCurveAndTheSyntheticScore() {
        List<Double> curve = new ArrayList<>();
        TrainingResult r = new SimulatedTraining("sim-1", 0).run(candidate(4), new TrainingListener() {
            @Override
            public void epochEnd(int epoch, int epochs, double loss, double trainAcc, double validAcc) {
                curve.add(validAcc);
            }
        });
        assertEquals(TrainingStatus.TRAINING_STATUS_SUCCEEDED, r.getStatus(), r.getFailureReason());
        assertEquals(4, curve.size());
        for (int i = 1; i < curve.size(); i++) {
            assertTrue(curve.get(i) > curve.get(i - 1), "the curve rises: " + curve);
        }
        assertEquals(curve.get(3), r.getMetrics().getValidAccuracy(), 1e-12);
        assertEquals(4, r.getMetrics().getEpochsCount(), "the result stores the learning curve the listener saw");
        for (int i = 0; i < curve.size(); i++) {
            assertEquals(i + 1, r.getMetrics().getEpochs(i).getEpoch());
            assertEquals(curve.get(i), r.getMetrics().getEpochs(i).getValidAccuracy(), 1e-12);
        }
        assertEquals(42, r.getProposedAtMs());
        assertEquals(0.0, r.getCost().getBpFraction(), 1e-12);

        var e = SimulatedTraining.evaluate(r);
        assertEquals(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED, e.getStatus());
        assertTrue(e.getMetricsOrThrow("test_accuracy") > r.getMetrics().getValidAccuracy(), "the curve approaches the score");
        assertTrue(e.getMetricsOrThrow("pgd_accuracy") >= 0);
        assertEquals(e.getMetricsOrThrow("pgd_accuracy"), e.getMetricsOrThrow("valid_apgd_accuracy"), 0.0,
                "the default Pareto front (valid_accuracy, valid_apgd_accuracy) has something to sort in simulated mode");
    }

    @Test
    void aStopRequestEndsTheRunEarlyAndAWrongIdFailsIt() {
        TrainingResult stopped = new SimulatedTraining("sim-1", 0).run(candidate(10), new TrainingListener() {
            @Override
            public boolean stopRequested() {
                return true;
            }
        });
        assertEquals(TrainingStatus.TRAINING_STATUS_EARLY_STOPPED, stopped.getStatus());
        assertEquals(1, stopped.getMetrics().getEpochsCompleted());
        assertEquals(1, stopped.getMetrics().getEpochsCount(), "the curve ends where training stopped");

        TrainingResult wrong = new SimulatedTraining("sim-1", 0).run(candidate(1).toBuilder().setGenomeId("0000000000000000").build(),
                TrainingListener.NONE);
        assertEquals(TrainingStatus.TRAINING_STATUS_FAILED, wrong.getStatus());
        assertTrue(wrong.getFailureReason().contains("genome_id"), wrong.getFailureReason());
    }
}
