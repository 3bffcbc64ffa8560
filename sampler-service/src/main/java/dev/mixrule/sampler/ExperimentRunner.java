package dev.mixrule.sampler;

import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.genome.ChainSpace;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.Rule;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.Genome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs experiments: draws distinct genomes from the search space and publishes them as candidates.
 * State is in memory for now; an experiment's candidates are in Kafka.
 */
@ApplicationScoped
public class ExperimentRunner {
    private static final Logger LOG = Logger.getLogger(ExperimentRunner.class);

    private final CandidatePublisher publisher;
    private final Map<String, Experiment> experiments = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sampler-experiments");
        t.setDaemon(true);
        return t;
    });

    public ExperimentRunner(CandidatePublisher publisher) {
        this.publisher = publisher;
    }

    /** Validates and starts an experiment; throws IllegalArgumentException or IllegalStateException (exists). */
    public synchronized Experiment create(ExperimentSpec requested) {
        ExperimentSpec spec = ExperimentValidation.normalise(requested, "exp-" + UUID.randomUUID().toString().substring(0, 8));
        if (experiments.containsKey(spec.getExperimentId())) {
            throw new IllegalStateException("experiment '" + spec.getExperimentId() + "' already exists");
        }
        Experiment e = Experiment.newBuilder().setSpec(spec).setState(ExperimentState.EXPERIMENT_STATE_RUNNING)
                .setCreatedAtMs(System.currentTimeMillis()).build();
        experiments.put(spec.getExperimentId(), e);
        executor.submit(() -> run(spec));
        LOG.infof("experiment %s: %d candidates on %s, rules %s", spec.getExperimentId(), spec.getBudget(),
                spec.getDataset(), spec.getRulesList());
        return e;
    }

    public Optional<Experiment> get(String id) {
        return Optional.ofNullable(experiments.get(id));
    }

    private void run(ExperimentSpec spec) {
        String id = spec.getExperimentId();
        try {
            var rules = spec.getRulesList().stream().map(Rule::fromName).toList();
            var shape = Datasets.shape(spec.getDataset());
            java.util.function.Function<Random, Genome> space = spec.getSpace().equals("nb201")
                    ? new dev.mixrule.core.genome.Nb201Space(shape, rules)::sample
                    : new ChainSpace(shape, rules)::sample;
            Random random = new Random(spec.getSeed());
            Set<String> seen = new LinkedHashSet<>();
            int draws = 0;
            while (seen.size() < spec.getBudget()) {
                if (++draws > spec.getBudget() * 100 + 1000) {
                    throw new IllegalStateException("the space gave only " + seen.size() + " distinct genomes in "
                            + (draws - 1) + " draws; lower the budget or allow more rules");
                }
                Genome g = space.apply(random);
                String canonical = GenomeCodec.toCanonical(g);
                String genomeId = GenomeCodec.idOfCanonical(canonical);
                if (!seen.add(genomeId)) {
                    continue;
                }
                publisher.publish(Candidate.newBuilder().setGenomeId(genomeId).setGenome(g).setCanonical(canonical)
                        .setExperimentId(id).setDataset(spec.getDataset()).setTraining(spec.getTraining())
                        .setProposedAtMs(System.currentTimeMillis()).build());
                experiments.computeIfPresent(id, (k, e) -> e.toBuilder().setProposed(seen.size()).addGenomeIds(genomeId).build());
            }
            experiments.computeIfPresent(id, (k, e) -> e.toBuilder().setState(ExperimentState.EXPERIMENT_STATE_COMPLETED).build());
            LOG.infof("experiment %s: all %d candidates published", id, spec.getBudget());
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "experiment %s failed", id);
            experiments.computeIfPresent(id, (k, e) -> e.toBuilder().setState(ExperimentState.EXPERIMENT_STATE_FAILED)
                    .setFailureReason(String.valueOf(ex.getMessage())).build());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
