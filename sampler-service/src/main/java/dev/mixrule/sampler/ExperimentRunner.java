package dev.mixrule.sampler;

import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.genome.ChainSpace;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.Nb201Space;
import dev.mixrule.core.genome.Rule;
import dev.mixrule.core.search.Objective;
import dev.mixrule.core.search.SearchSpace;
import dev.mixrule.core.search.SearchStrategy;
import dev.mixrule.core.search.Strategies;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * Runs experiments: asks the experiment's strategy for genomes, publishes them as candidates, never more
 * than max_in_flight without a result, and tells the strategy every result (or failure) that comes back.
 * A genome already proposed in the experiment is not proposed again: its known score is told instead.
 * State is in memory (durable resume is future work).
 */
@ApplicationScoped
public class ExperimentRunner {
    private static final Logger LOG = Logger.getLogger(ExperimentRunner.class);

    private final CandidatePublisher publisher;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sampler-experiments");
        t.setDaemon(true);
        return t;
    });

    public ExperimentRunner(CandidatePublisher publisher) {
        this.publisher = publisher;
    }

    /** One experiment's live state; guarded by its own monitor. */
    static final class Run {
        final ExperimentSpec spec;
        final SearchStrategy strategy;
        final List<Objective> objectives;
        final Random random;
        final long createdAt = System.currentTimeMillis();
        final Map<String, Genome> proposed = new LinkedHashMap<>();
        final Set<String> inFlight = new LinkedHashSet<>();
        final Map<String, Map<String, Double>> metrics = new HashMap<>();
        int completed;
        int failed;
        ExperimentState state = ExperimentState.EXPERIMENT_STATE_RUNNING;
        String failure = "";

        Run(ExperimentSpec spec, SearchStrategy strategy, List<Objective> objectives) {
            this.spec = spec;
            this.strategy = strategy;
            this.objectives = objectives;
            this.random = new Random(spec.getSeed());
        }

        synchronized Experiment snapshot() {
            return Experiment.newBuilder().setSpec(spec).setState(state).setProposed(proposed.size()).setCreatedAtMs(createdAt)
                    .setFailureReason(failure).addAllGenomeIds(proposed.keySet()).setCompleted(completed).setFailed(failed)
                    .setInFlight(inFlight.size()).build();
        }
    }

    /** Validates and starts an experiment; throws IllegalArgumentException or IllegalStateException (exists). */
    public synchronized Experiment create(ExperimentSpec requested) {
        ExperimentSpec spec = ExperimentValidation.normalise(requested, "exp-" + UUID.randomUUID().toString().substring(0, 8));
        if (runs.containsKey(spec.getExperimentId())) {
            throw new IllegalStateException("experiment '" + spec.getExperimentId() + "' already exists");
        }
        List<Rule> rules = spec.getRulesList().stream().map(Rule::fromName).toList();
        var shape = Datasets.shape(spec.getDataset());
        SearchSpace space = spec.getSpace().equals("nb201") ? new Nb201Space(shape, rules) : new ChainSpace(shape, rules);
        List<Objective> objectives = spec.getObjectivesList().stream().map(o -> new Objective(o.getMetric(), !o.getMinimize())).toList();
        Run run = new Run(spec, Strategies.create(spec.getStrategy(), space, objectives), objectives);
        runs.put(spec.getExperimentId(), run);
        executor.submit(() -> fill(run));
        LOG.infof("experiment %s: %s over %s on %s, budget %d, in flight at most %s, rules %s, objectives %s",
                spec.getExperimentId(), spec.getStrategy(), spec.getSpace(), spec.getDataset(), spec.getBudget(),
                spec.getMaxInFlight() == 0 ? "all" : spec.getMaxInFlight(), spec.getRulesList(), spec.getObjectivesList());
        return run.snapshot();
    }

    public Optional<Experiment> get(String id) {
        return Optional.ofNullable(runs.get(id)).map(Run::snapshot);
    }

    /** Proposes until the budget is reached or the in-flight limit is hit. */
    void fill(Run run) {
        synchronized (run) {
            if (run.state != ExperimentState.EXPERIMENT_STATE_RUNNING) {
                return;
            }
            ExperimentSpec spec = run.spec;
            int limit = spec.getMaxInFlight() == 0 ? Integer.MAX_VALUE : spec.getMaxInFlight();
            int draws = 0;
            try {
                while (run.proposed.size() < spec.getBudget() && run.inFlight.size() < limit) {
                    if (++draws > spec.getBudget() * 100 + 1000) {
                        throw new IllegalStateException("the strategy gave only " + run.proposed.size() + " distinct genomes in "
                                + (draws - 1) + " draws; lower the budget or allow more rules");
                    }
                    Genome g = run.strategy.ask(run.random);
                    String canonical = GenomeCodec.toCanonical(g);
                    String id = GenomeCodec.idOfCanonical(canonical);
                    if (run.proposed.containsKey(id)) {
                        Map<String, Double> known = run.metrics.get(id);
                        if (known != null && hasObjectives(run, known)) {
                            run.strategy.tell(g, known); // already trained: feed the known score back
                        }
                        continue;
                    }
                    publisher.publish(Candidate.newBuilder().setGenomeId(id).setGenome(g).setCanonical(canonical)
                            .setExperimentId(spec.getExperimentId()).setDataset(spec.getDataset()).setTraining(spec.getTraining())
                            .setProposedAtMs(System.currentTimeMillis()).build());
                    run.proposed.put(id, g);
                    run.inFlight.add(id);
                }
                completeIfDone(run);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "experiment %s failed", spec.getExperimentId());
                run.state = ExperimentState.EXPERIMENT_STATE_FAILED;
                run.failure = String.valueOf(ex.getMessage());
            }
        }
    }

    private static boolean hasObjectives(Run run, Map<String, Double> m) {
        return run.objectives.stream().allMatch(o -> m.containsKey(o.metric()));
    }

    private static void completeIfDone(Run run) {
        if (run.proposed.size() >= run.spec.getBudget() && run.inFlight.isEmpty()
                && run.state == ExperimentState.EXPERIMENT_STATE_RUNNING) {
            run.state = ExperimentState.EXPERIMENT_STATE_COMPLETED;
            LOG.infof("experiment %s completed: %d candidates, %d failed", run.spec.getExperimentId(), run.completed, run.failed);
        }
    }

    /** A training result of one of our candidates: failures are told at once, metrics kept for the objectives. */
    public void onTraining(TrainingResult t) {
        Run run = runs.get(t.getExperimentId());
        if (run == null) {
            return;
        }
        synchronized (run) {
            if (!run.proposed.containsKey(t.getGenomeId())) {
                return;
            }
            if (t.getStatus() != TrainingStatus.TRAINING_STATUS_SUCCEEDED) {
                if (run.inFlight.remove(t.getGenomeId())) {
                    run.strategy.tellFailure(run.proposed.get(t.getGenomeId()), t.getFailureReason());
                    run.completed++;
                    run.failed++;
                }
            } else {
                Map<String, Double> m = run.metrics.computeIfAbsent(t.getGenomeId(), k -> new HashMap<>());
                m.put("valid_accuracy", t.getMetrics().getValidAccuracy());
                m.put("train_seconds", t.getMetrics().getTrainSeconds());
                m.put("bp_fraction", t.getCost().getBpFraction());
                m.put("parameters", (double) t.getCost().getParameters());
                tellIfReady(run, t.getGenomeId());
            }
        }
        executor.submit(() -> fill(run));
    }

    /** An evaluation result (any evaluator's) of one of our candidates. */
    public void onEvaluation(EvaluationResult e) {
        Run run = runs.get(e.getExperimentId());
        if (run == null || e.getStatus() != EvaluationStatus.EVALUATION_STATUS_SUCCEEDED) {
            return;
        }
        synchronized (run) {
            if (!run.proposed.containsKey(e.getGenomeId())) {
                return;
            }
            run.metrics.computeIfAbsent(e.getGenomeId(), k -> new HashMap<>()).putAll(e.getMetricsMap());
            tellIfReady(run, e.getGenomeId());
        }
        executor.submit(() -> fill(run));
    }

    private static void tellIfReady(Run run, String id) {
        Map<String, Double> m = run.metrics.get(id);
        if (run.inFlight.contains(id) && hasObjectives(run, m)) {
            run.strategy.tell(run.proposed.get(id), m);
            run.inFlight.remove(id);
            run.completed++;
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
