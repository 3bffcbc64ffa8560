package dev.mixrule.sampler;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.recipe.Recipe;
import dev.mixrule.kernel.search.EarlyStopping;
import dev.mixrule.kernel.search.Objective;
import dev.mixrule.kernel.search.SearchStrategy;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.kernel.search.Strategies;
import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.kernel.space.ExactGradientCap;
import dev.mixrule.kernel.space.Nb201Space;
import dev.mixrule.kernel.space.SearchSpace;
import dev.mixrule.kernel.space.UniformRuleSpace;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.EarlyStoppingSpec;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.StopCandidate;
import dev.mixrule.proto.TrainingProgress;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.sampler.SamplerStore.Kind;
import dev.mixrule.sampler.SamplerStore.Outcome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs experiments: asks each experiment's strategy for genomes, publishes them as candidates, never more
 * than max_in_flight without a result, and tells the strategy every result, failure, timeout or early stop.
 * A genome already proposed in the experiment is not proposed again; one already trained on the dataset with
 * the same recipe (resolved TrainingConfig and seed policy, {@link Recipe}) by any experiment is not trained
 * again: its known score is told instead, and it counts against the budget like a proposal. Strategies are
 * told only the metrics that may select ({@link SelectionMetrics}): the test split never reaches a search.
 *
 * <p>Every change is written through to {@link SamplerStore} (Redis) before it takes effect outside, and
 * the constructor rebuilds all experiments from it, so a restarted sampler carries on: running experiments
 * continue, proposals the broker never acknowledged are published again (at-least-once), budgets stay exact.
 */
@ApplicationScoped
public class ExperimentRunner {
    private static final Logger LOG = Logger.getLogger(ExperimentRunner.class);
    private static final int BATCH = 256;

    private final CandidatePublisher publisher;
    private final SamplerStore store;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sampler-experiments");
        t.setDaemon(true);
        return t;
    });

    public ExperimentRunner(CandidatePublisher publisher, SamplerStore store,
                            @ConfigProperty(name = "mixrule.sampler.timeout-check-ms", defaultValue = "5000") long checkMs) {
        this.publisher = publisher;
        this.store = store;
        recover();
        executor.scheduleWithFixedDelay(this::expireTimedOut, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    /** One experiment's live state (a cache of what the store holds); guarded by its own monitor. */
    static final class Run {
        final ExperimentSpec spec;
        final SearchStrategy strategy;
        final List<Objective> objectives;
        final EarlyStopping earlyStopping;
        final Random random;
        final String recipe;
        final long createdAt;
        final Map<String, Genome> proposed = new LinkedHashMap<>();
        final Map<String, Long> proposedAt = new HashMap<>();
        final Set<String> inFlight = new LinkedHashSet<>();
        final Map<String, Map<String, Double>> metrics = new HashMap<>();
        final Map<String, List<Double>> curves = new HashMap<>();
        final Set<String> stopSent = new HashSet<>();
        final Set<String> reused = new LinkedHashSet<>(); // told a known score, in telling order
        final java.util.concurrent.atomic.AtomicBoolean fillQueued = new java.util.concurrent.atomic.AtomicBoolean();
        int completed;
        int failed;
        int earlyStopped;
        long updatedAt;
        ExperimentState state = ExperimentState.EXPERIMENT_STATE_RUNNING;
        String failure = "";

        /** The experiment's search space: its rules, one rule per network if asked, within its exact-gradient cap. */
        static SearchSpace space(ExperimentSpec spec) {
            List<Rule> rules = spec.getRulesList().stream().map(Rule::fromName).toList();
            var shape = Datasets.shape(spec.getDataset());
            SearchSpace space = spec.getSpace().equals("nb201") ? new Nb201Space(shape, rules) : new ChainSpace(shape, rules);
            if (spec.getUniformRules()) {
                space = new UniformRuleSpace(space, rules);
            }
            if (spec.getMaxExactGradientFraction() > 0) {
                space = new ExactGradientCap(space, shape, spec.getMaxExactGradientFraction());
            }
            return space;
        }

        Run(ExperimentSpec spec, long createdAt, long seedOffset) {
            this.spec = spec;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            SearchSpace space = space(spec);
            this.objectives = spec.getObjectivesList().stream().map(o -> new Objective(o.getMetric(), !o.getMinimize())).toList();
            this.strategy = Strategies.create(spec.getStrategy(), space, objectives);
            EarlyStoppingSpec es = spec.getEarlyStopping();
            this.earlyStopping = new EarlyStopping(es.getRule(), es.getGraceEpochs(), es.getMinSamples(), es.getEta());
            this.random = new Random(spec.getSeed() * 1_000_003L + seedOffset); // a restart draws anew; dedupe keeps it exact
            this.recipe = Recipe.key(spec.getTraining());
        }

        /** Reused genomes spend budget too: a known score is a result the experiment did not have to train for. */
        boolean budgetLeft() {
            return spec.getBudget() == 0 || proposed.size() + reused.size() < spec.getBudget();
        }

        synchronized Experiment snapshot(boolean withGenomeIds) {
            Experiment.Builder b = Experiment.newBuilder().setSpec(spec).setState(state).setProposed(proposed.size())
                    .setCreatedAtMs(createdAt).setFailureReason(failure).setCompleted(completed).setFailed(failed)
                    .setEarlyStopped(earlyStopped).setReused(reused.size()).setInFlight(inFlight.size()).setUpdatedAtMs(updatedAt);
            if (withGenomeIds) {
                b.addAllGenomeIds(proposed.keySet()).addAllReusedGenomeIds(reused);
            }
            return b.build();
        }
    }

    /** Validates, stores and starts an experiment. */
    public Experiment create(ExperimentSpec requested) {
        ExperimentSpec spec = ExperimentValidation.normalise(requested, "exp-" + UUID.randomUUID().toString().substring(0, 8));
        Run run;
        synchronized (this) {
            if (runs.containsKey(spec.getExperimentId()) || store.exists(spec.getExperimentId())) {
                throw new SamplerException.AlreadyExists("experiment '" + spec.getExperimentId() + "' already exists; pick another id");
            }
            run = new Run(spec, System.currentTimeMillis(), 0);
            store.create(spec, run.createdAt);
            runs.put(spec.getExperimentId(), run);
        }
        scheduleFill(run);
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
        Run run = require(id);
        synchronized (run) {
            if (run.state == ExperimentState.EXPERIMENT_STATE_COMPLETED || run.state == ExperimentState.EXPERIMENT_STATE_FAILED) {
                throw new SamplerException.FailedPrecondition("experiment '" + id + "' is " + stateName(run.state)
                        + "; only a running experiment can be stopped");
            }
            if (run.state == ExperimentState.EXPERIMENT_STATE_RUNNING) {
                setState(run, ExperimentState.EXPERIMENT_STATE_STOPPED, "");
                LOG.infof("experiment %s stopped by request: %d proposed, %d in flight", id, run.proposed.size(), run.inFlight.size());
            }
            return run.snapshot(true);
        }
    }

    /** STOPPED or FAILED -> RUNNING, from where it stood. */
    public Experiment resume(String id) {
        Run run = require(id);
        synchronized (run) {
            if (run.state == ExperimentState.EXPERIMENT_STATE_COMPLETED) {
                throw new SamplerException.FailedPrecondition("experiment '" + id + "' is completed; create a new one to search more");
            }
            if (run.state != ExperimentState.EXPERIMENT_STATE_RUNNING) {
                setState(run, ExperimentState.EXPERIMENT_STATE_RUNNING, "");
                LOG.infof("experiment %s resumed at %d of %s proposed", id, run.proposed.size(),
                        run.spec.getBudget() == 0 ? "endless" : run.spec.getBudget());
            }
        }
        scheduleFill(run);
        return run.snapshot(true);
    }

    private Run require(String id) {
        Run run = runs.get(id);
        if (run == null) {
            throw new SamplerException.NotFound("no experiment '" + id + "'; list them with: ./mixrule experiment list");
        }
        return run;
    }

    private static String stateName(ExperimentState s) {
        return s.name().substring("EXPERIMENT_STATE_".length()).toLowerCase();
    }

    private void setState(Run run, ExperimentState state, String failure) {
        store.state(run.spec.getExperimentId(), state, failure);
        run.state = state;
        run.failure = failure;
        run.updatedAt = System.currentTimeMillis();
    }

    /** At most one fill of a run waits in the queue: a thousand results a second make one fill, not a thousand. */
    private void scheduleFill(Run run) {
        if (run.fillQueued.compareAndSet(false, true)) {
            executor.submit(() -> {
                run.fillQueued.set(false);
                fill(run);
            });
        }
    }

    /** Proposes until the budget is reached or the in-flight limit is hit, in batches of one store write each. */
    void fill(Run run) {
        while (true) {
            List<Candidate> batch = new ArrayList<>();
            synchronized (run) {
                if (run.state != ExperimentState.EXPERIMENT_STATE_RUNNING) {
                    return;
                }
                ExperimentSpec spec = run.spec;
                int limit = spec.getMaxInFlight() == 0 ? Integer.MAX_VALUE : spec.getMaxInFlight();
                int maxDraws = (spec.getBudget() == 0 ? limit : spec.getBudget()) * 100 + 1000;
                int draws = 0;
                try {
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
                        Map<String, Double> known = known(spec.getDataset(), run.recipe).get(id);
                        if (known != null && hasObjectives(run, known)) {
                            // trained before on this dataset with this recipe: its score, not a retraining
                            store.reused(spec.getExperimentId(), g, id, known, run.reused.size() + 1);
                            run.reused.add(id);
                            run.strategy.tell(g, SelectionMetrics.selectableOnly(known));
                            continue;
                        }
                        long now = System.currentTimeMillis();
                        batch.add(Candidate.newBuilder().setGenomeId(id).setGenome(g).setCanonical(canonical)
                                .setExperimentId(spec.getExperimentId()).setDataset(spec.getDataset()).setTraining(spec.getTraining())
                                .setProposedAtMs(now).setReportProgress(!run.earlyStopping.kind().equals("none")).build());
                        run.proposed.put(id, g);
                        run.proposedAt.put(id, now);
                        run.inFlight.add(id);
                    }
                    store.propose(spec.getExperimentId(), batch);
                    run.updatedAt = System.currentTimeMillis();
                    completeIfDone(run);
                } catch (RuntimeException ex) {
                    LOG.errorf(ex, "experiment %s failed", spec.getExperimentId());
                    batch.forEach(c -> {
                        run.proposed.remove(c.getGenomeId());
                        run.inFlight.remove(c.getGenomeId());
                    });
                    setState(run, ExperimentState.EXPERIMENT_STATE_FAILED, String.valueOf(ex.getMessage()));
                    return;
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            publish(run.spec.getExperimentId(), batch);
        }
    }

    /** Publishes stored proposals and, once the broker has them all, marks them acknowledged. */
    private void publish(String experimentId, List<Candidate> batch) {
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

    private static boolean hasObjectives(Run run, Map<String, Double> m) {
        return run.objectives.stream().allMatch(o -> m.containsKey(o.metric()));
    }

    private void completeIfDone(Run run) {
        if (!run.budgetLeft() && run.inFlight.isEmpty() && run.state == ExperimentState.EXPERIMENT_STATE_RUNNING) {
            setState(run, ExperimentState.EXPERIMENT_STATE_COMPLETED, "");
            LOG.infof("experiment %s completed: %d candidates, %d failed, %d stopped early, %d known scores reused",
                    run.spec.getExperimentId(), run.completed, run.failed, run.earlyStopped, run.reused.size());
        }
    }

    /** A training result of one of our candidates: failures and early stops are told at once, metrics kept for the objectives. */
    public void onTraining(TrainingResult t) {
        Run run = runs.get(t.getExperimentId());
        if (run == null) {
            return;
        }
        synchronized (run) {
            String id = t.getGenomeId();
            if (!run.inFlight.contains(id)) {
                return; // not ours, or already told (redelivery, or a result after its timeout)
            }
            if (t.getStatus() == TrainingStatus.TRAINING_STATUS_SUCCEEDED) {
                Map<String, Double> m = run.metrics.computeIfAbsent(id, k -> new HashMap<>());
                m.put("valid_accuracy", t.getMetrics().getValidAccuracy());
                m.put("train_seconds", t.getMetrics().getTrainSeconds());
                m.put("bp_fraction", t.getCost().getBpFraction());
                m.put("parameters", (double) t.getCost().getParameters());
                store.metrics(run.spec.getExperimentId(), id, m);
                tellIfReady(run, id);
            } else if (t.getStatus() == TrainingStatus.TRAINING_STATUS_EARLY_STOPPED) {
                finish(run, id, new Outcome(Kind.EARLY_STOPPED, Map.of("valid_accuracy", t.getMetrics().getValidAccuracy()),
                        "stopped early after epoch " + t.getMetrics().getEpochsCompleted()));
            } else {
                finish(run, id, new Outcome(Kind.FAILED, Map.of(), t.getFailureReason()));
            }
        }
        scheduleFill(run);
    }

    /** An evaluation result (any evaluator's) of one of our candidates. */
    public void onEvaluation(EvaluationResult e) {
        Run run = runs.get(e.getExperimentId());
        if (run == null || e.getStatus() != EvaluationStatus.EVALUATION_STATUS_SUCCEEDED) {
            return;
        }
        synchronized (run) {
            if (!run.inFlight.contains(e.getGenomeId())) {
                return;
            }
            Map<String, Double> m = run.metrics.computeIfAbsent(e.getGenomeId(), k -> new HashMap<>());
            m.putAll(e.getMetricsMap());
            store.metrics(run.spec.getExperimentId(), e.getGenomeId(), m);
            tellIfReady(run, e.getGenomeId());
        }
        scheduleFill(run);
    }

    /** An epoch of one of our candidates: the early-stopping rule may ask the trainers to stop it. */
    public void onProgress(TrainingProgress p) {
        Run run = runs.get(p.getExperimentId());
        if (run == null || run.earlyStopping.kind().equals("none") || p.getEpoch() < 1) {
            return;
        }
        StopCandidate stop = null;
        synchronized (run) {
            String id = p.getGenomeId();
            if (!run.inFlight.contains(id) || run.stopSent.contains(id)) {
                return;
            }
            List<Double> curve = run.curves.computeIfAbsent(id, k -> new ArrayList<>());
            while (curve.size() < p.getEpoch()) {
                curve.add(p.getValidAccuracy());
            }
            curve.set(p.getEpoch() - 1, p.getValidAccuracy());
            store.curve(run.spec.getExperimentId(), id, curve);
            if (p.getEpoch() < p.getEpochs() && run.earlyStopping.report(id, p.getEpoch(), p.getValidAccuracy())) {
                run.stopSent.add(id);
                stop = StopCandidate.newBuilder().setGenomeId(id).setExperimentId(p.getExperimentId()).setDataset(p.getDataset())
                        .setReason(run.earlyStopping.kind() + " rule at epoch " + p.getEpoch() + ": valid accuracy "
                                + String.format("%.4f", p.getValidAccuracy()))
                        .setAtMs(System.currentTimeMillis()).build();
            }
        }
        if (stop != null) {
            LOG.infof("experiment %s: stopping %s early (%s)", p.getExperimentId(), p.getGenomeId(), stop.getReason());
            publisher.stop(stop);
        }
    }

    private void tellIfReady(Run run, String id) {
        Map<String, Double> m = run.metrics.get(id);
        if (m != null && hasObjectives(run, m)) {
            finish(run, id, new Outcome(Kind.OK, Map.copyOf(m), ""));
        }
    }

    /** Scores known per dataset and recipe (id -> metrics): loaded from the store once, then kept in step with it. */
    private final Map<String, Map<String, Map<String, Double>>> known = new ConcurrentHashMap<>();

    private Map<String, Map<String, Double>> known(String dataset, String recipe) {
        return known.computeIfAbsent(dataset + ":" + recipe, k -> new ConcurrentHashMap<>(store.knownScores(dataset, recipe)));
    }

    /** Stores the outcome, then tells the strategy: a crash in between replays it from the store. */
    private void finish(Run run, String id, Outcome o) {
        store.told(run.spec.getExperimentId(), run.spec.getDataset(), run.recipe, id, o);
        if (o.kind() == Kind.OK) {
            known(run.spec.getDataset(), run.recipe).put(id, o.metrics());
        }
        apply(run, id, o);
        run.updatedAt = System.currentTimeMillis();
        completeIfDone(run);
    }

    private static void apply(Run run, String id, Outcome o) {
        run.inFlight.remove(id);
        run.completed++;
        Genome g = run.proposed.get(id);
        switch (o.kind()) {
            case OK -> run.strategy.tell(g, SelectionMetrics.selectableOnly(o.metrics()));
            case FAILED -> {
                run.failed++;
                run.strategy.tellFailure(g, o.reason());
            }
            case EARLY_STOPPED -> {
                run.earlyStopped++;
                run.strategy.tellFailure(g, o.reason()); // hopeless by the rule: no full score to learn from
            }
            case REUSED -> throw new IllegalStateException("a reused genome is never in flight: " + id);
        }
    }

    /** Candidates without a result past their experiment's timeout are told as failed, freeing their slot. */
    void expireTimedOut() {
        long now = System.currentTimeMillis();
        for (Run run : runs.values()) {
            boolean freed = false;
            synchronized (run) {
                long timeoutMs = (run.spec.getCandidateTimeoutSeconds() == 0 ? 3600 : run.spec.getCandidateTimeoutSeconds()) * 1000L;
                for (String id : List.copyOf(run.inFlight)) {
                    if (now - run.proposedAt.getOrDefault(id, now) > timeoutMs) {
                        LOG.warnf("experiment %s: %s had no result within %d s; told as failed", run.spec.getExperimentId(), id,
                                timeoutMs / 1000);
                        finish(run, id, new Outcome(Kind.FAILED, Map.of(), "no result within " + timeoutMs / 1000
                                + " s (a trainer crashed or none is running?)"));
                        freed = true;
                    }
                }
            }
            if (freed) {
                fill(run);
            }
        }
    }

    /** Rebuilds every stored experiment: proposals, outcomes replayed into a fresh strategy, curves into the rule. */
    private void recover() {
        List<String> ids = store.ids();
        for (String expId : ids) {
            try {
                SamplerStore.Saved s = store.load(expId);
                Run run = new Run(s.spec(), s.createdAt(), s.proposals().size());
                run.state = s.state();
                run.failure = s.failure();
                for (Candidate c : s.proposals()) {
                    run.proposed.put(c.getGenomeId(), c.getGenome());
                    run.proposedAt.put(c.getGenomeId(), c.getProposedAtMs());
                    run.inFlight.add(c.getGenomeId());
                }
                s.told().forEach((id, o) -> {
                    if (o.kind() == Kind.REUSED && s.reused().containsKey(id) && !run.proposed.containsKey(id)) {
                        run.reused.add(id);
                        run.strategy.tell(s.reused().get(id), SelectionMetrics.selectableOnly(o.metrics()));
                    } else if (o.kind() != Kind.REUSED && run.inFlight.contains(id)) {
                        apply(run, id, o);
                    }
                });
                s.metrics().forEach((id, m) -> {
                    if (run.inFlight.contains(id)) {
                        run.metrics.put(id, new HashMap<>(m));
                    }
                });
                s.curves().forEach((id, curve) -> {
                    run.curves.put(id, new ArrayList<>(curve));
                    for (int e = 0; e < curve.size(); e++) {
                        run.earlyStopping.report(id, e + 1, curve.get(e));
                    }
                });
                runs.put(expId, run);
                List<Candidate> resend = s.proposals().stream()
                        .filter(c -> s.unacked().contains(c.getGenomeId()) && run.inFlight.contains(c.getGenomeId())).toList();
                if (run.state == ExperimentState.EXPERIMENT_STATE_RUNNING || !resend.isEmpty()) {
                    LOG.infof("experiment %s recovered (%s): %d proposed, %d told, %d in flight, %d to publish again",
                            expId, stateName(run.state), run.proposed.size(), run.completed, run.inFlight.size(), resend.size());
                }
                executor.submit(() -> {
                    if (!resend.isEmpty()) {
                        publish(expId, resend);
                    }
                    synchronized (run) {
                        completeIfDone(run);
                    }
                    fill(run);
                });
            } catch (RuntimeException e) {
                LOG.errorf(e, "experiment %s could not be recovered from Redis; it is skipped", expId);
            }
        }
        if (!ids.isEmpty()) {
            LOG.infof("recovered %d experiment(s) from Redis", runs.size());
        }
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
