package dev.mixrule.sampler;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.recipe.Recipe;
import dev.mixrule.kernel.search.EarlyStopping;
import dev.mixrule.kernel.search.Objective;
import dev.mixrule.kernel.search.SearchStrategy;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.kernel.search.Strategies;
import dev.mixrule.kernel.space.ExactGradientCap;
import dev.mixrule.kernel.space.SearchSpace;
import dev.mixrule.kernel.space.Spaces;
import dev.mixrule.kernel.space.UniformRuleSpace;
import dev.mixrule.proto.EarlyStoppingSpec;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.StopCandidate;
import dev.mixrule.proto.TrainingProgress;
import dev.mixrule.sampler.SamplerStore.Kind;
import dev.mixrule.sampler.SamplerStore.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One experiment's state machine: its states (RUNNING, STOPPED, COMPLETED, FAILED) and transitions, and the
 * candidates in flight until each is finished. A cache of what {@link SamplerStore} holds: every transition is
 * written through before it takes effect. Guarded by its own monitor: callers hold it around every change.
 */
final class ExperimentRun {
    private static final Logger LOG = Logger.getLogger(ExperimentRun.class);

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
    final AtomicBoolean fillQueued = new AtomicBoolean();
    private final SamplerStore store;
    private final SamplerMetrics meters;
    int completed;
    int failed;
    int earlyStopped;
    long updatedAt;
    ExperimentState state = ExperimentState.EXPERIMENT_STATE_RUNNING;
    String failure = "";

    ExperimentRun(ExperimentSpec spec, long createdAt, long seedOffset, SamplerStore store, SamplerMetrics meters) {
        this.spec = spec;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.store = store;
        this.meters = meters;
        this.objectives = spec.getObjectivesList().stream().map(o -> new Objective(o.getMetric(), !o.getMinimize())).toList();
        this.strategy = Strategies.create(spec.getStrategy(), space(spec), objectives);
        EarlyStoppingSpec es = spec.getEarlyStopping();
        this.earlyStopping = new EarlyStopping(es.getRule(), es.getGraceEpochs(), es.getMinSamples(), es.getEta());
        this.random = new Random(spec.getSeed() * 1_000_003L + seedOffset); // a restart draws anew; dedupe keeps it exact
        this.recipe = Recipe.key(spec.getTraining());
    }

    /** The experiment's search space: its rules, one rule per network if asked, within its exact-gradient cap. */
    static SearchSpace space(ExperimentSpec spec) {
        List<Rule> rules = spec.getRulesList().stream().map(Rule::fromName).toList();
        var shape = Datasets.shape(spec.getDataset());
        SearchSpace space = Spaces.of(spec.getSpace(), shape, rules);
        if (spec.getUniformRules()) {
            space = new UniformRuleSpace(space, rules);
        }
        if (spec.getMaxExactGradientFraction() > 0) {
            space = new ExactGradientCap(space, shape, spec.getMaxExactGradientFraction());
        }
        return space;
    }

    String id() {
        return spec.getExperimentId();
    }

    /** Reused genomes spend budget too: a known score is a result the experiment did not have to train for. */
    boolean budgetLeft() {
        return spec.getBudget() == 0 || proposed.size() + reused.size() < spec.getBudget();
    }

    boolean running() {
        return state == ExperimentState.EXPERIMENT_STATE_RUNNING;
    }

    /** True when the early-stopping rule may stop candidates: they report their epochs. */
    boolean stopsEarly() {
        return !earlyStopping.kind().equals(EarlyStopping.none().kind());
    }

    boolean hasObjectives(Map<String, Double> m) {
        return objectives.stream().allMatch(o -> m.containsKey(o.metric()));
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

    static String stateName(ExperimentState s) {
        return s.name().substring("EXPERIMENT_STATE_".length()).toLowerCase();
    }

    /** RUNNING -> STOPPED: nothing more is proposed; results of candidates in flight still count. */
    void stop() {
        if (state == ExperimentState.EXPERIMENT_STATE_COMPLETED || state == ExperimentState.EXPERIMENT_STATE_FAILED) {
            throw new SamplerException.FailedPrecondition("experiment '" + id() + "' is " + stateName(state)
                    + "; only a running experiment can be stopped");
        }
        if (running()) {
            setState(ExperimentState.EXPERIMENT_STATE_STOPPED, "");
            LOG.infof("experiment %s stopped by request: %d proposed, %d in flight", id(), proposed.size(), inFlight.size());
        }
    }

    /** STOPPED or FAILED -> RUNNING, from where it stood. */
    void resume() {
        if (state == ExperimentState.EXPERIMENT_STATE_COMPLETED) {
            throw new SamplerException.FailedPrecondition("experiment '" + id() + "' is completed; create a new one to search more");
        }
        if (!running()) {
            setState(ExperimentState.EXPERIMENT_STATE_RUNNING, "");
            LOG.infof("experiment %s resumed at %d of %s proposed", id(), proposed.size(),
                    spec.getBudget() == 0 ? "endless" : spec.getBudget());
        }
    }

    /** RUNNING -> FAILED: the strategy could not propose. */
    void fail(String reason) {
        setState(ExperimentState.EXPERIMENT_STATE_FAILED, reason);
    }

    /** RUNNING -> COMPLETED once the budget is spent and nothing is in flight. */
    void completeIfDone() {
        if (!budgetLeft() && inFlight.isEmpty() && running()) {
            setState(ExperimentState.EXPERIMENT_STATE_COMPLETED, "");
            LOG.infof("experiment %s completed: %d candidates, %d failed, %d stopped early, %d known scores reused",
                    id(), completed, failed, earlyStopped, reused.size());
        }
    }

    private void setState(ExperimentState next, String reason) {
        store.state(id(), next, reason);
        state = next;
        failure = reason;
        updatedAt = System.currentTimeMillis();
    }

    /** Adds metrics of a candidate in flight; its outcome once they hold every objective. */
    Optional<Outcome> addMetrics(String genomeId, Map<String, Double> more) {
        Map<String, Double> m = metrics.computeIfAbsent(genomeId, k -> new HashMap<>());
        m.putAll(more);
        store.metrics(id(), genomeId, m);
        return hasObjectives(m) ? Optional.of(new Outcome(Kind.OK, Map.copyOf(m), "")) : Optional.empty();
    }

    /** Stores the outcome, then tells the strategy: a crash in between replays it from the store. Counted once, here. */
    void finish(String genomeId, Outcome o) {
        store.told(id(), spec.getDataset(), recipe, genomeId, o);
        apply(genomeId, o);
        meters.finished(id(), o.kind());
        updatedAt = System.currentTimeMillis();
        completeIfDone();
    }

    /** A candidate leaves the flight and its outcome is told to the strategy (also when replayed after a restart). */
    void apply(String genomeId, Outcome o) {
        inFlight.remove(genomeId);
        completed++;
        Genome g = proposed.get(genomeId);
        switch (o.kind()) {
            case OK -> strategy.tell(g, SelectionMetrics.selectableOnly(o.metrics()));
            case FAILED -> {
                failed++;
                strategy.tellFailure(g, o.reason());
            }
            case EARLY_STOPPED -> {
                earlyStopped++;
                strategy.tellFailure(g, o.reason()); // hopeless by the rule: no full score to learn from
            }
            case REUSED -> throw new IllegalStateException("a reused genome is never in flight: " + genomeId);
        }
    }

    /** A genome told its known score instead of being trained; stored first. */
    void reuse(Genome g, String genomeId, Map<String, Double> known) {
        store.reused(id(), g, genomeId, known, reused.size() + 1);
        restoreReused(g, genomeId, known);
    }

    void restoreReused(Genome g, String genomeId, Map<String, Double> known) {
        reused.add(genomeId);
        strategy.tell(g, SelectionMetrics.selectableOnly(known));
    }

    /** A candidate proposed (stored by the caller): in flight from {@code at}. */
    void propose(String genomeId, Genome g, long at) {
        proposed.put(genomeId, g);
        proposedAt.put(genomeId, at);
        inFlight.add(genomeId);
    }

    /** One epoch's validation accuracy into the candidate's curve; the stop request when the rule says stop. */
    Optional<StopCandidate> progress(TrainingProgress p) {
        String genomeId = p.getGenomeId();
        if (!inFlight.contains(genomeId) || stopSent.contains(genomeId)) {
            return Optional.empty();
        }
        List<Double> curve = curves.computeIfAbsent(genomeId, k -> new ArrayList<>());
        while (curve.size() < p.getEpoch()) {
            curve.add(p.getValidAccuracy());
        }
        curve.set(p.getEpoch() - 1, p.getValidAccuracy());
        store.curve(id(), genomeId, curve);
        if (p.getEpoch() >= p.getEpochs() || !earlyStopping.report(genomeId, p.getEpoch(), p.getValidAccuracy())) {
            return Optional.empty();
        }
        stopSent.add(genomeId);
        return Optional.of(StopCandidate.newBuilder().setGenomeId(genomeId).setExperimentId(p.getExperimentId())
                .setDataset(p.getDataset()).setReason(earlyStopping.kind() + " rule at epoch " + p.getEpoch()
                        + ": valid accuracy " + String.format("%.4f", p.getValidAccuracy()))
                .setAtMs(System.currentTimeMillis()).build());
    }

    /** A stored curve replayed into the early-stopping rule after a restart. */
    void restoreCurve(String genomeId, List<Double> curve) {
        curves.put(genomeId, new ArrayList<>(curve));
        for (int e = 0; e < curve.size(); e++) {
            earlyStopping.report(genomeId, e + 1, curve.get(e));
        }
    }

    /** Candidates in flight past the experiment's timeout at {@code now}, each told as failed. */
    boolean expireTimedOut(long now) {
        long timeoutSeconds = spec.getCandidateTimeoutSeconds() == 0
                ? ExperimentValidation.DEFAULT_CANDIDATE_TIMEOUT_SECONDS : spec.getCandidateTimeoutSeconds();
        long timeoutMs = timeoutSeconds * 1000L;
        boolean freed = false;
        for (String genomeId : List.copyOf(inFlight)) {
            if (now - proposedAt.getOrDefault(genomeId, now) > timeoutMs) {
                LOG.warnf("experiment %s: %s had no result within %d s; told as failed", id(), genomeId, timeoutSeconds);
                finish(genomeId, new Outcome(Kind.FAILED, Map.of(), "no result within " + timeoutSeconds
                        + " s (a trainer crashed or none is running?)"));
                freed = true;
            }
        }
        return freed;
    }
}
