package dev.mixrule.sampler;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * Asks an experiment's strategy for genomes and publishes them as candidates, never more than max_in_flight
 * without a result. A genome already proposed in the experiment is not proposed again; one already trained on
 * the dataset with the same recipe is told its known score instead, counting against the budget.
 */
final class Proposer {
    private static final Logger LOG = Logger.getLogger(Proposer.class);
    private static final int BATCH = 256;

    private final CandidatePublisher publisher;
    private final SamplerStore store;
    private final KnownScores known;
    private final ExecutorService executor;
    private final SamplerMetrics meters;

    Proposer(CandidatePublisher publisher, SamplerStore store, KnownScores known, ExecutorService executor,
             SamplerMetrics meters) {
        this.publisher = publisher;
        this.store = store;
        this.known = known;
        this.executor = executor;
        this.meters = meters;
    }

    /** At most one fill of a run waits in the queue: a thousand results a second make one fill, not a thousand. */
    void scheduleFill(ExperimentRun run) {
        if (run.fillQueued.compareAndSet(false, true)) {
            executor.submit(() -> {
                run.fillQueued.set(false);
                fill(run);
            });
        }
    }

    /** Proposes until the budget is reached or the in-flight limit is hit, in batches of one store write each. */
    void fill(ExperimentRun run) {
        List<Candidate> batch;
        do {
            batch = nextBatch(run);
            if (!batch.isEmpty()) {
                publish(run.id(), batch);
            }
        } while (!batch.isEmpty());
    }

    /** Draws, stores and counts the next batch under the run's monitor; empty when nothing more is due. */
    private List<Candidate> nextBatch(ExperimentRun run) {
        List<Candidate> batch = new ArrayList<>();
        synchronized (run) {
            if (!run.running()) {
                return batch;
            }
            try {
                draw(run, batch);
                store.propose(run.id(), batch);
                meters.proposed(run.id(), batch.size());
                run.updatedAt = System.currentTimeMillis();
                run.completeIfDone();
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "experiment %s failed", run.id());
                batch.forEach(c -> {
                    run.proposed.remove(c.getGenomeId());
                    run.inFlight.remove(c.getGenomeId());
                });
                run.fail(String.valueOf(ex.getMessage()));
                return List.of();
            }
        }
        return batch;
    }

    private void draw(ExperimentRun run, List<Candidate> batch) {
        ExperimentSpec spec = run.spec;
        int limit = spec.getMaxInFlight() == 0 ? Integer.MAX_VALUE : spec.getMaxInFlight();
        int maxDraws = (spec.getBudget() == 0 ? limit : spec.getBudget()) * 100 + 1000;
        int draws = 0;
        while (run.budgetLeft() && run.inFlight.size() < limit && batch.size() < BATCH) {
            if (++draws > maxDraws) {
                throw new IllegalStateException("the strategy gave only " + run.proposed.size() + " distinct genomes in "
                        + (draws - 1) + " draws; lower the budget or allow more rules");
            }
            Genome g = run.strategy.ask(run.random);
            String canonical = GenomeCodec.toCanonical(g);
            String id = GenomeCodec.idOfCanonical(canonical);
            if (run.proposed.containsKey(id) || run.reused.contains(id)) {
                continue;
            }
            Map<String, Double> score = known.get(spec.getDataset(), run.recipe, id);
            if (score != null && run.hasObjectives(score)) {
                run.reuse(g, id, score); // trained before on this dataset with this recipe: its score, not a retraining
                continue;
            }
            long now = System.currentTimeMillis();
            batch.add(Candidate.newBuilder().setGenomeId(id).setGenome(g).setCanonical(canonical)
                    .setExperimentId(spec.getExperimentId()).setDataset(spec.getDataset()).setTraining(spec.getTraining())
                    .setProposedAtMs(now).setReportProgress(run.stopsEarly()).build());
            run.propose(id, g, now);
        }
    }

    /** Publishes stored proposals and, once the broker has them all, marks them acknowledged. */
    void publish(String experimentId, List<Candidate> batch) {
        List<CompletableFuture<Void>> sent = batch.stream().map(c -> publisher.publish(c).toCompletableFuture()).toList();
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            store.acked(experimentId, batch.stream().map(Candidate::getGenomeId).toList());
        } catch (RuntimeException e) {
            // stays unacknowledged in the store: published again on the next start
            LOG.errorf("experiment %s: publishing %d candidates failed (%s); they are sent again when the sampler restarts",
                    experimentId, batch.size(), e.getMessage());
        }
    }
}
