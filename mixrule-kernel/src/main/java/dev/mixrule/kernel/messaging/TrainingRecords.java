package dev.mixrule.kernel.messaging;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import java.util.Map;

/** The parts of a TrainingResult every trainer (real or simulated) fills the same way. */
public final class TrainingRecords {
    private TrainingRecords() {}

    /** What a trainer does with a candidate whose genome is valid: fills the result's metrics and status. */
    @FunctionalInterface
    public interface Training {
        void train(String genomeId, GenomePlan plan, TrainingResult.Builder result) throws Exception;
    }

    /**
     * One candidate in, one result out, as every trainer does it: the record started, the genome id
     * checked, the genome validated for its dataset and costed, then {@code training}. Every failure
     * (invalid genome, unknown dataset, divergence, interruption) becomes a FAILED result with the
     * reason, never an exception, so one bad candidate cannot stop a trainer.
     */
    public static TrainingResult record(Candidate c, String trainerId, Training training) {
        TrainingResult.Builder r = start(c, trainerId);
        try {
            // parsed, validated and canonicalised once; the id, the text and the cost all come from the plan
            GenomePlan plan = GenomePlan.of(c.getGenome(), Datasets.shape(c.getDataset()));
            String id = checkId(c, r, plan);
            r.setCost(cost(plan));
            training.train(id, plan, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason("interrupted");
        } catch (Exception | LinkageError e) {
            r.setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason(reason(e));
        }
        return r.setFinishedAtMs(System.currentTimeMillis()).build();
    }

    /** The result's fields that come from the candidate, with this trainer and the start time. */
    public static TrainingResult.Builder start(Candidate c, String trainerId) {
        return TrainingResult.newBuilder().setGenomeId(c.getGenomeId()).setGenome(c.getGenome())
                .setExperimentId(c.getExperimentId()).setDataset(c.getDataset()).setTraining(c.getTraining())
                .setTrainerId(trainerId).setProposedAtMs(c.getProposedAtMs()).setStartedAtMs(System.currentTimeMillis());
    }

    /** Sets the canonical text and returns the genome's id; refuses a genome_id that is not the genome's. */
    public static String checkId(Candidate c, TrainingResult.Builder r, GenomePlan plan) {
        String canonical = plan.canonicalText();
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

    public static String reason(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
