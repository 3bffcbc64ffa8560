package dev.mixrule.kernel.messaging;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingResult;
import java.util.Map;

/** The parts of a TrainingResult every trainer (real or simulated) fills the same way. */
public final class TrainingRecords {
    private TrainingRecords() {}

    /** The result's fields that come from the candidate, with this trainer and the start time. */
    public static TrainingResult.Builder start(Candidate c, String trainerId) {
        return TrainingResult.newBuilder().setGenomeId(c.getGenomeId()).setGenome(c.getGenome())
                .setExperimentId(c.getExperimentId()).setDataset(c.getDataset()).setTraining(c.getTraining())
                .setTrainerId(trainerId).setProposedAtMs(c.getProposedAtMs()).setStartedAtMs(System.currentTimeMillis());
    }

    /** Sets the canonical text and returns the genome's id; refuses a genome_id that is not the genome's. */
    public static String checkId(Candidate c, TrainingResult.Builder r) {
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

    public static String reason(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
