package dev.mixrule.sampler;

import dev.mixrule.proto.Candidate;
import dev.mixrule.sampler.SamplerStore.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * Rebuilds every stored experiment after a restart: proposals, outcomes replayed into a fresh strategy, curves
 * into the early-stopping rule; then publishes again what the broker never acknowledged (at-least-once) and
 * carries on proposing, so budgets stay exact.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private final SamplerStore store;
    private final Proposer proposer;
    private final ExecutorService executor;
    private final SamplerMetrics meters;

    Recovery(SamplerStore store, Proposer proposer, ExecutorService executor, SamplerMetrics meters) {
        this.store = store;
        this.meters = meters;
        this.proposer = proposer;
        this.executor = executor;
    }

    /** Every experiment in the store that could be read, into {@code runs}; one that cannot is logged and skipped. */
    void recoverInto(Map<String, ExperimentRun> runs) {
        List<String> ids = store.ids();
        for (String expId : ids) {
            try {
                SamplerStore.Saved s = store.load(expId);
                ExperimentRun run = rebuild(s);
                runs.put(expId, run);
                carryOn(run, s);
            } catch (RuntimeException e) {
                LOG.errorf(e, "experiment %s could not be recovered from Redis; it is skipped", expId);
            }
        }
        if (!ids.isEmpty()) {
            LOG.infof("recovered %d experiment(s) from Redis", runs.size());
        }
    }

    /** The run as it stood: its state, proposals in flight, outcomes told in their order, partial metrics, curves. */
    private ExperimentRun rebuild(SamplerStore.Saved s) {
        ExperimentRun run = new ExperimentRun(s.spec(), s.createdAt(), s.proposals().size(), store, meters);
        run.state = s.state();
        run.failure = s.failure();
        for (Candidate c : s.proposals()) {
            run.propose(c.getGenomeId(), c.getGenome(), c.getProposedAtMs());
        }
        s.told().forEach((id, o) -> {
            if (o.kind() == Kind.REUSED && s.reused().containsKey(id) && !run.proposed.containsKey(id)) {
                run.restoreReused(s.reused().get(id), id, o.metrics());
            } else if (o.kind() != Kind.REUSED && run.inFlight.contains(id)) {
                run.apply(id, o);
            }
        });
        s.metrics().forEach((id, m) -> {
            if (run.inFlight.contains(id)) {
                run.metrics.put(id, new HashMap<>(m));
            }
        });
        s.curves().forEach(run::restoreCurve);
        return run;
    }

    /** Publishes again what the broker never acknowledged, then completes or fills the run as due. */
    private void carryOn(ExperimentRun run, SamplerStore.Saved s) {
        List<Candidate> resend = s.proposals().stream()
                .filter(c -> s.unacked().contains(c.getGenomeId()) && run.inFlight.contains(c.getGenomeId())).toList();
        if (run.running() || !resend.isEmpty()) {
            LOG.infof("experiment %s recovered (%s): %d proposed, %d told, %d in flight, %d to publish again",
                    run.id(), ExperimentRun.stateName(run.state), run.proposed.size(), run.completed, run.inFlight.size(),
                    resend.size());
        }
        executor.submit(() -> {
            if (!resend.isEmpty()) {
                proposer.publish(run.id(), resend);
            }
            synchronized (run) {
                run.completeIfDone();
            }
            proposer.fill(run);
        });
    }
}
