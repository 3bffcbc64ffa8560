package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.metrics.Metric;
import java.util.Map;

/**
 * evaluate's JSON report, filled evaluator by evaluator: each one's protocol, metrics, trust reasons or failure;
 * from robustness also its eps and split, the attacks, the PGD eps ladder, the worst case and the example count.
 */
final class EvaluationReport {
    private static final String PGD_LADDER = "pgd_accuracy_eps";
    private static final String ACCURACY = "_accuracy";

    private final RobustnessEvaluator.Split measured;
    private final JsonObject o = new JsonObject();
    private final JsonArray reasons = new JsonArray();
    private final JsonArray attacks = new JsonArray();
    private final JsonArray ladder = new JsonArray();
    private final JsonObject metrics = new JsonObject();
    private final JsonArray protocols = new JsonArray();
    private final JsonArray failures = new JsonArray();

    EvaluationReport(TrainedModel model, RobustnessEvaluator.Split measured) {
        this.measured = measured;
        o.addProperty("genome_id", model.plan().id());
        o.addProperty("canonical", model.plan().canonicalText());
        o.addProperty("dataset", model.dataset());
    }

    /** Robustness is about to run at this eps on the measured split. */
    void robustness(double eps) {
        o.addProperty("eps", eps);
        o.addProperty("split", measured.label());
    }

    /** One evaluator's result. */
    void add(Evaluator e, Evaluator.Result r) {
        protocols.add(e.name() + " v" + e.version() + ": " + r.protocol());
        if (r.failed()) {
            failures.add(e.name() + ": " + r.failureReason());
            return;
        }
        r.unreliableReasons().forEach(reasons::add);
        boolean robustness = e.name().equals(RobustnessEvaluator.NAME);
        String prefix = robustness ? measured.prefix() : "";
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            metrics.addProperty(m.getKey(), m.getValue());
            if (robustness) {
                String k = m.getKey().substring(m.getKey().startsWith(prefix) ? prefix.length() : 0);
                robustnessMetric(m.getKey(), k, m.getValue(), (RobustnessEvaluator) e);
            }
        }
        if (robustness) {
            o.addProperty("examples", r.examples());
        }
    }

    /** A robustness metric (key, and k without the split's prefix) into the ladder, the worst case or the attacks. */
    private void robustnessMetric(String key, String k, double value, RobustnessEvaluator e) {
        if (k.startsWith(PGD_LADDER)) {
            JsonObject l = new JsonObject();
            l.addProperty("eps", Double.parseDouble(k.substring(PGD_LADDER.length())));
            l.addProperty(Metric.ROBUST_ACCURACY.key(), value);
            ladder.add(l);
        } else if (k.equals(RobustnessEvaluator.WORST_CASE)) {
            o.addProperty(key, value);
        } else if (k.endsWith(ACCURACY) && !k.equals(Metric.CLEAN_ACCURACY.key())) {
            JsonObject a = new JsonObject();
            a.addProperty("name", k.substring(0, k.length() - ACCURACY.length()));
            a.addProperty("eps", e.eps());
            a.addProperty(Metric.ROBUST_ACCURACY.key(), value);
            attacks.add(a);
        }
    }

    /** The report: the clean accuracy, then everything collected, and succeeded unless an evaluator failed. */
    JsonObject finish() {
        String clean = measured.prefix() + Metric.CLEAN_ACCURACY.key();
        if (metrics.has(clean)) {
            o.addProperty(Metric.CLEAN_ACCURACY.key(), metrics.get(clean).getAsDouble());
        } else if (metrics.has(Metric.TEST_ACCURACY.key())) {
            o.addProperty(Metric.CLEAN_ACCURACY.key(), metrics.get(Metric.TEST_ACCURACY.key()).getAsDouble());
        }
        o.add("attacks", attacks);
        o.add("pgd_eps_ladder", ladder);
        o.addProperty("unreliable", !reasons.isEmpty());
        o.add("unreliable_reasons", reasons);
        o.add("metrics", metrics);
        o.add("protocols", protocols);
        o.addProperty("status", failures.isEmpty() ? "succeeded" : "failed");
        o.add("failures", failures);
        return o;
    }
}
