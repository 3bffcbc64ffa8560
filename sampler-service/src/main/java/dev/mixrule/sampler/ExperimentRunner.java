package dev.mixrule.sampler;

import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.metrics.TrainingResultMetrics;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.StopCandidate;
import dev.mixrule.proto.TrainingProgress;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.sampler.SamplerStore.Kind;
import dev.mixrule.sampler.SamplerStore.Outcome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs experiments: the API's and the results' entry point, coordinating each experiment's state machine
 * ({@link ExperimentRun}), the {@link Proposer} (asks the strategy, reuses known scores, publishes candidates)
 * and {@link Recovery} (rebuilds every experiment from the store at start). A genome already trained on the
 * dataset with the same recipe ({@link dev.mixrule.kernel.recipe.Recipe}) by any experiment is not trained again.
 * Strategies are told only the metrics that may select ({@link SelectionMetrics}): the test split never reaches
 * a search.
 *
 * <p>Every change is written through to {@link SamplerStore} (Redis) before it takes effect outside, so a
 * restarted sampler carries on: running experiments continue, proposals the broker never acknowledged are
 * published again (at-least-once), budgets stay exact.
 */
@ApplicationScoped
public class ExperimentRunner {
    private static final Logger LOG = Logger.getLogger(ExperimentRunner.class);

    private final SamplerStore store;
    private final CandidatePublisher publisher;
    private final KnownScores known;
    private final Proposer proposer;
    private final SamplerMetrics meters;
    private final Map<String, ExperimentRun> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sampler-experiments");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public ExperimentRunner(CandidatePublisher publisher, SamplerStore store, SamplerConfig config, SamplerMetrics meters) {
        this(publisher, store, config.timeoutCheckMs(), meters);
    }

    ExperimentRunner(CandidatePublisher publisher, SamplerStore store, long checkMs, SamplerMetrics meters) {
        this.publisher = publisher;
        this.store = store;
        this.meters = meters;
        this.known = new KnownScores(store);
        this.proposer = new Proposer(publisher, store, known, executor, meters);
        new Recovery(store, proposer, executor, meters).recoverInto(runs);
        executor.scheduleWithFixedDelay(this::expireTimedOut, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    /** Validates, stores and starts an experiment. */
    public Experiment create(ExperimentSpec requested) {
        ExperimentSpec spec = ExperimentValidation.normalise(requested, "exp-" + UUID.randomUUID().toString().substring(0, 8));
        ExperimentRun run;
        synchronized (this) {
            if (runs.containsKey(spec.getExperimentId()) || store.exists(spec.getExperimentId())) {
                throw new SamplerException.AlreadyExists("experiment '" + spec.getExperimentId() + "' already exists; pick another id");
            }
            run = new ExperimentRun(spec, System.currentTimeMillis(), 0, store, meters);
            store.create(spec, run.createdAt);
            runs.put(spec.getExperimentId(), run);
        }
        proposer.scheduleFill(run);
        LOG.infof("experiment %s: %s over %s%s on %s, budget %s, in flight at most %s, rules %s, objectives %s, early stopping %s",
                spec.getExperimentId(), spec.getStrategy(), spec.getSpace(), spec.getUniformRules() ? " (one rule per network)" : "",
                spec.getDataset(), spec.getBudget() == 0 ? "endless" : spec.getBudget(),
                spec.getMaxInFlight() == 0 ? "all" : spec.getMaxInFlight(), spec.getRulesList(), spec.getObjectivesList(),
                run.earlyStopping.kind());
        return run.snapshot(true);
    }

    public Optional<Experiment> get(String id) {
        return Optional.ofNullable(runs.get(id)).map(r -> r.snapshot(true));
    }

    /** Newest first, optionally of one state; without genome ids. */
    public List<Experiment> list(ExperimentState state) {
        return runs.values().stream().map(r -> r.snapshot(false))
                .filter(e -> state == ExperimentState.EXPERIMENT_STATE_UNSPECIFIED || e.getState() == state)
                .sorted(Comparator.comparingLong(Experiment::getCreatedAtMs).reversed()
                        .thenComparing(e -> e.getSpec().getExperimentId()))
                .toList();
    }

    /** RUNNING -> STOPPED: nothing more is proposed; results of candidates in flight still count. */
    public Experiment stop(String id) {
        ExperimentRun run = require(id);
        synchronized (run) {
            run.stop();
            return run.snapshot(true);
        }
    }

    /** STOPPED or FAILED -> RUNNING, from where it stood. */
    public Experiment resume(String id) {
        ExperimentRun run = require(id);
        synchronized (run) {
            run.resume();
        }
        proposer.scheduleFill(run);
        return run.snapshot(true);
    }

    private ExperimentRun require(String id) {
        ExperimentRun run = runs.get(id);
        if (run == null) {
            throw new SamplerException.NotFound("no experiment '" + id + "'; list them with: ./mixrule experiment list");
        }
        return run;
    }

    /** A training result of one of our candidates: failures and early stops are told at once, metrics kept for the objectives. */
    public void onTraining(TrainingResult t) {
        ExperimentRun run = runs.get(t.getExperimentId());
        if (run == null) {
            return;
        }
        synchronized (run) {
            String id = t.getGenomeId();
            if (!run.inFlight.contains(id)) {
                return; // not ours, or already told (redelivery, or a result after its timeout)
            }
            if (t.getStatus() == TrainingStatus.TRAINING_STATUS_SUCCEEDED) {
                run.addMetrics(id, metricsOf(t)).ifPresent(o -> finish(run, id, o));
            } else if (t.getStatus() == TrainingStatus.TRAINING_STATUS_EARLY_STOPPED) {
                finish(run, id, new Outcome(Kind.EARLY_STOPPED, Map.of(Metric.VALID_ACCURACY.key(), t.getMetrics().getValidAccuracy()),
                        "stopped early after epoch " + t.getMetrics().getEpochsCompleted()));
            } else {
                finish(run, id, new Outcome(Kind.FAILED, Map.of(), t.getFailureReason()));
            }
        }
        proposer.scheduleFill(run);
    }

    /** An evaluation result (any evaluator's) of one of our candidates. */
    public void onEvaluation(EvaluationResult e) {
        ExperimentRun run = runs.get(e.getExperimentId());
        if (run == null || e.getStatus() != EvaluationStatus.EVALUATION_STATUS_SUCCEEDED) {
            return;
        }
        synchronized (run) {
            if (!run.inFlight.contains(e.getGenomeId())) {
                return;
            }
            run.addMetrics(e.getGenomeId(), e.getMetricsMap()).ifPresent(o -> finish(run, e.getGenomeId(), o));
        }
        proposer.scheduleFill(run);
    }

    /** An epoch of one of our candidates: the early-stopping rule may ask the trainers to stop it. */
    public void onProgress(TrainingProgress p) {
        ExperimentRun run = runs.get(p.getExperimentId());
        if (run == null || !run.stopsEarly() || p.getEpoch() < 1) {
            return;
        }
        Optional<StopCandidate> stop;
        synchronized (run) {
            stop = run.progress(p);
        }
        stop.ifPresent(s -> {
            LOG.infof("experiment %s: stopping %s early (%s)", p.getExperimentId(), p.getGenomeId(), s.getReason());
            publisher.stop(s);
        });
    }

    /**
     * What a succeeded training tells the strategy: {@link TrainingResultMetrics#of}, the map the leaderboard ranks
     * on. A result without its metrics or cost message counts them as zeros, as the sampler always has (it
     * finishes the candidate rather than waiting for a valid_accuracy that never comes).
     */
    static Map<String, Double> metricsOf(TrainingResult t) {
        return TrainingResultMetrics.of(t.toBuilder().setMetrics(t.getMetrics()).setCost(t.getCost()).build());
    }

    /** Finishes the candidate in its run; a success becomes a known score for its dataset and recipe. */
    private void finish(ExperimentRun run, String id, Outcome o) {
        run.finish(id, o);
        if (o.kind() == Kind.OK) {
            known.put(run.spec.getDataset(), run.recipe, id, o.metrics());
        }
    }

    /** Candidates without a result past their experiment's timeout are told as failed, freeing their slot. */
    void expireTimedOut() {
        long now = System.currentTimeMillis();
        for (ExperimentRun run : runs.values()) {
            boolean freed;
            synchronized (run) {
                freed = run.expireTimedOut(now);
            }
            if (freed) {
                proposer.fill(run);
            }
        }
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
