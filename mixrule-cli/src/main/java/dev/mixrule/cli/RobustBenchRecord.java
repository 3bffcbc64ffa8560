package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A leaderboard entry as a RobustBench-style record: the fields of RobustBench's model_info files
 * (clean_acc, autoattack_acc, eps, threat_model, dataset, architecture, unreliable, footnote; accuracies
 * as percent strings with two decimals, as RobustBench writes them) plus what identifies the genome
 * here and how it was measured.
 */
final class RobustBenchRecord {
    static final String ROBUSTNESS = "robustness";
    static final String ACCURACY = "accuracy";
    private static final Pattern EPS = Pattern.compile("eps=([0-9]*\\.?[0-9]+)");
    /** The robustness evaluator's metric prefixes and RobustBench's attack names. */
    private static final Map<String, String> ATTACKS = Map.of("fgsm", "fgsm", "pgd", "pgd", "apgd", "apgd-ce",
            "apgd_t", "apgd-t", "fab_t", "fab-t", "square", "square", "transfer", "transfer");

    private RobustBenchRecord() {}

    static JsonObject of(LeaderboardEntry e) {
        JsonObject o = new JsonObject();
        o.addProperty("name", e.getGenomeId());
        o.addProperty("genome_id", e.getGenomeId());
        o.addProperty("dataset", e.getDataset());
        o.addProperty("experiment_id", e.getExperimentId());
        o.addProperty("architecture", e.getCanonical());
        EvaluationResult robust = evaluation(e, ROBUSTNESS);
        EvaluationResult accuracy = evaluation(e, ACCURACY);
        String protocol = robust == null ? "" : robust.getProtocol();
        threat(o, protocol, robust);
        accuracies(o, e.getMetricsMap(), robust);
        o.addProperty("unreliable", e.getUnreliable());
        JsonArray unreliableReasons = new JsonArray(); // every evaluator's reasons, so a reader sees why without digging
        e.getEvaluationsList().forEach(r -> r.getUnreliableReasonsList().forEach(x -> unreliableReasons.add(r.getEvaluator().getName() + ": " + x)));
        o.add("unreliable_reasons", unreliableReasons);
        o.addProperty("footnote", footnote(robust));
        o.addProperty("additional_data", false);
        o.addProperty("number_forward_passes", 1);
        genome(o, e);
        JsonArray evaluators = new JsonArray();
        e.getEvaluationsList().forEach(r -> evaluators.add(evaluator(r)));
        o.add("evaluators", evaluators);
        o.addProperty("protocol", protocol);
        o.addProperty("accuracy_protocol", accuracy == null ? "" : accuracy.getProtocol());
        JsonObject all = new JsonObject();
        new TreeMap<>(e.getMetricsMap()).forEach(all::addProperty);
        o.add("metrics", all);
        o.addProperty("checkpoint_uri", e.getCheckpointUri());
        return o;
    }

    /** threat_model and eps, read from the robustness protocol. */
    private static void threat(JsonObject o, String protocol, EvaluationResult robust) {
        o.addProperty("threat_model", protocol.toLowerCase(Locale.ROOT).contains("linf") || robust != null ? "Linf" : null);
        Matcher m = EPS.matcher(protocol);
        if (m.find()) {
            o.addProperty("eps", Double.parseDouble(m.group(1)));
        } else {
            o.add("eps", JsonNull.INSTANCE);
        }
    }

    /** clean_acc, test_acc, autoattack_acc (null), attack_acc per attack and robust_acc with its kind. */
    private static void accuracies(JsonObject o, Map<String, Double> metrics, EvaluationResult robust) {
        Double clean = robust != null && robust.containsMetrics(Metric.CLEAN_ACCURACY.key()) ? robust.getMetricsOrThrow(Metric.CLEAN_ACCURACY.key())
                : metrics.get(Metric.TEST_ACCURACY.key());
        o.addProperty("clean_acc", percent(clean));
        o.addProperty("test_acc", percent(metrics.get(Metric.TEST_ACCURACY.key())));
        // AutoAttack itself is not run; APGD-CE (its first component) and the other attacks are
        o.add("autoattack_acc", JsonNull.INSTANCE);
        JsonObject attacks = new JsonObject();
        Double worst = null;
        Double perExampleWorst = robust == null ? null : robust.getMetricsMap().get(RobustnessEvaluator.WORST_CASE);
        Map<String, Double> robustMetrics = robust == null ? Map.of() : new TreeMap<>(robust.getMetricsMap());
        for (Map.Entry<String, Double> a : robustMetrics.entrySet()) {
            String key = a.getKey();
            String attack = key.endsWith("_accuracy") ? key.substring(0, key.length() - "_accuracy".length()) : "";
            if (!key.equals(Metric.CLEAN_ACCURACY.key()) && ATTACKS.containsKey(attack)) {
                attacks.addProperty(ATTACKS.get(attack), percent(a.getValue()));
                worst = worst == null ? a.getValue() : Math.min(worst, a.getValue());
            }
        }
        o.add("attack_acc", attacks);
        // the per-example worst case over the attacks run when measured; else the lowest per-attack accuracy (an upper bound on it)
        o.addProperty("robust_acc", percent(perExampleWorst != null ? perExampleWorst : worst));
        o.addProperty("robust_acc_kind", perExampleWorst != null ? "per-example worst case" : worst != null ? "lowest single attack" : null);
    }

    /** genome (canonical and JSON), rules, and the cost figures. */
    private static void genome(JsonObject o, LeaderboardEntry e) {
        JsonObject genome = new JsonObject();
        genome.addProperty("canonical", e.getCanonical());
        if (e.hasGenome()) {
            genome.add("json", GenomeCodec.toJsonObject(e.getGenome()));
        }
        o.add("genome", genome);
        JsonArray rules = new JsonArray();
        e.getRulesList().forEach(rules::add);
        o.add("rules", rules);
        o.addProperty(Metric.BP_FRACTION.key(), e.getCost().getBpFraction());
        o.addProperty(Metric.PARAMETERS.key(), e.getCost().getParameters());
        o.addProperty(Metric.MACS.key(), e.getCost().getMacs());
    }

    private static JsonObject evaluator(EvaluationResult r) {
        JsonObject eo = new JsonObject();
        eo.addProperty("name", r.getEvaluator().getName());
        eo.addProperty("version", r.getEvaluator().getVersion());
        eo.addProperty("protocol", r.getProtocol());
        eo.addProperty("examples", r.getExamples());
        eo.addProperty("status", r.getStatus().name().replace("EVALUATION_STATUS_", "").toLowerCase(Locale.ROOT));
        eo.addProperty("unreliable", r.getUnreliable());
        if (r.getStatus() == EvaluationStatus.EVALUATION_STATUS_FAILED) {
            eo.addProperty("failure_reason", r.getFailureReason());
        }
        JsonArray reasons = new JsonArray();
        r.getUnreliableReasonsList().forEach(reasons::add);
        eo.add("unreliable_reasons", reasons);
        return eo;
    }

    private static String footnote(EvaluationResult robust) {
        if (robust == null) {
            return "No robustness evaluation yet: only clean accuracy is known.";
        }
        boolean standard = robust.getProtocol().startsWith("standard:");
        String s = "Robust accuracies from mixrule's robustness evaluator " + robust.getEvaluator().getVersion() + " on "
                + robust.getExamples() + " examples (" + robust.getProtocol() + "); " + (standard
                ? "AutoAttack's standard attacks as reimplemented in mixrule (not AutoAttack's own code)."
                : "AutoAttack was not run.");
        if (robust.getUnreliable()) {
            s += " Flagged unreliable: " + String.join("; ", robust.getUnreliableReasonsList());
        }
        return s;
    }

    static EvaluationResult evaluation(LeaderboardEntry e, String name) {
        for (EvaluationResult r : e.getEvaluationsList()) {
            if (r.getEvaluator().getName().equals(name) && r.getStatus() == EvaluationStatus.EVALUATION_STATUS_SUCCEEDED) {
                return r;
            }
        }
        return null;
    }

    /** RobustBench writes accuracies as percent with two decimals, as strings. */
    static String percent(Double fraction) {
        return fraction == null ? null : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }
}
