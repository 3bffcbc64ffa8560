package dev.mixrule.leaderboard.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.InvalidGenomeException;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.LayerAlignment;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON view of a leaderboard entry, for every printer: the web API (Jackson), {@code ./mixrule demo --json}
 * and the CLI's Output (Gson). Plain Java values only (strings, numbers, booleans, lists, maps, null), in a fixed
 * field order, snake_case like the proto. Fields: rank, genome_id, dataset, experiment_id, canonical; test_accuracy
 * (when measured); valid_accuracy, train_seconds, train_images_per_second (when trained); rules; bp_fraction
 * (with a cost); rule_fractions; parameters, macs (with a cost); metrics; evaluations (evaluator, version, protocol,
 * examples, status, principal: the verified signer, metrics, failure_reason); unreliable; checkpoint_uri;
 * training_principal (the verified signer of the training result); updated_at_ms; genome (GenomeCodec's JSON, null
 * before the training result); shapes (chain genomes on a known dataset: the input [channels, height, width] after
 * padding, then every layer's output; else null); layer_alignment (per weight layer: layer, rule, exact_gradient,
 * angle_degrees of the last measured epoch or null, angle_degrees_by_epoch); trained_at_ms (when the training result
 * finished: when valid_accuracy became known; 0 before it); epochs (the learning curve, per completed epoch: epoch,
 * train_loss, train_accuracy, valid_accuracy; empty for results of trainers that predate it).
 */
public final class EntryJson {
    private EntryJson() {}

    public static Map<String, Object> of(LeaderboardEntry e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rank", e.getRank());
        o.put("genome_id", e.getGenomeId());
        o.put("dataset", e.getDataset());
        o.put("experiment_id", e.getExperimentId());
        o.put("canonical", e.getCanonical());
        Double test = e.getMetricsMap().get(Metric.TEST_ACCURACY.key());
        if (test != null) {
            o.put(Metric.TEST_ACCURACY.key(), test);
        }
        if (e.hasTraining()) {
            o.put(Metric.VALID_ACCURACY.key(), e.getTraining().getValidAccuracy());
            o.put(Metric.TRAIN_SECONDS.key(), e.getTraining().getTrainSeconds());
            o.put(Metric.TRAIN_IMAGES_PER_SECOND.key(), e.getTraining().getTrainImagesPerSecond());
        }
        o.put("rules", List.copyOf(e.getRulesList()));
        if (e.hasCost()) {
            o.put(Metric.BP_FRACTION.key(), e.getCost().getBpFraction());
        }
        o.put("rule_fractions", new TreeMap<>(e.getCost().getRuleFractionsMap()));
        if (e.hasCost()) {
            o.put(Metric.PARAMETERS.key(), e.getCost().getParameters());
            o.put(Metric.MACS.key(), e.getCost().getMacs());
        }
        o.put("metrics", new TreeMap<>(e.getMetricsMap()));
        o.put("evaluations", e.getEvaluationsList().stream().map(EntryJson::evaluation).toList());
        o.put("unreliable", e.getUnreliable());
        o.put("checkpoint_uri", e.getCheckpointUri());
        o.put("training_principal", e.getTrainingPrincipal());
        o.put("updated_at_ms", e.getUpdatedAtMs());
        o.put("genome", e.hasGenome() ? plain(GenomeCodec.toJsonObject(e.getGenome())) : null);
        o.put("shapes", shapes(e));
        o.put("layer_alignment", e.getTraining().getLayerAlignmentList().stream().map(EntryJson::layer).toList());
        o.put("trained_at_ms", e.getTrainedAtMs());
        o.put("epochs", e.getTraining().getEpochsList().stream().map(EntryJson::epoch).toList());
        return o;
    }

    /** One completed epoch of the learning curve. */
    public static Map<String, Object> epoch(EpochMetrics m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("epoch", m.getEpoch());
        o.put(Metric.TRAIN_LOSS.key(), m.getTrainLoss());
        o.put(Metric.TRAIN_ACCURACY.key(), m.getTrainAccuracy());
        o.put(Metric.VALID_ACCURACY.key(), m.getValidAccuracy());
        return o;
    }

    private static Map<String, Object> evaluation(EvaluationResult ev) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("evaluator", ev.getEvaluator().getName());
        o.put("version", ev.getEvaluator().getVersion());
        o.put("protocol", ev.getProtocol());
        o.put("examples", ev.getExamples());
        o.put("status", ev.getStatus().name().replace("EVALUATION_STATUS_", "").toLowerCase(Locale.ROOT));
        o.put("principal", ev.getProducerPrincipal());
        o.put("metrics", new TreeMap<>(ev.getMetricsMap()));
        o.put("failure_reason", ev.getFailureReason());
        return o;
    }

    /** One weight layer: derived exactness, and its update's angle to the true gradient in the last measured epoch (null: hebbian). */
    private static Map<String, Object> layer(LayerAlignment l) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("layer", l.getLayer());
        o.put("rule", l.getRule());
        o.put("exact_gradient", l.getExactGradient());
        o.put("angle_degrees", l.getAngleDegreesCount() == 0 ? null : l.getAngleDegrees(l.getAngleDegreesCount() - 1));
        o.put("angle_degrees_by_epoch", List.copyOf(l.getAngleDegreesList()));
        return o;
    }

    private static List<List<Integer>> shapes(LeaderboardEntry e) {
        if (!e.hasGenome() || !e.getGenome().hasChain() || !Datasets.NAMES.contains(e.getDataset())) {
            return null;
        }
        try {
            List<ChainPlan.Step> steps = ChainPlan.of(e.getGenome(), Datasets.shape(e.getDataset())).steps();
            List<List<Integer>> out = new ArrayList<>(steps.size() + 1);
            ChainPlan.Step first = steps.get(0);
            out.add(List.of(first.inChannels(), first.inHeight(), first.inWidth()));
            for (ChainPlan.Step s : steps) {
                out.add(List.of(s.outChannels(), s.outHeight(), s.outWidth()));
            }
            return out;
        } catch (InvalidGenomeException ex) {
            return null; // trained elsewhere on another input size: draw the layers without shapes
        }
    }

    /** A Gson tree as plain maps, lists and values. */
    static Object plain(JsonElement j) {
        if (j == null || j.isJsonNull()) {
            return null;
        }
        if (j.isJsonObject()) {
            Map<String, Object> o = new LinkedHashMap<>();
            ((JsonObject) j).entrySet().forEach(en -> o.put(en.getKey(), plain(en.getValue())));
            return o;
        }
        if (j.isJsonArray()) {
            List<Object> a = new ArrayList<>();
            ((JsonArray) j).forEach(x -> a.add(plain(x)));
            return a;
        }
        var p = j.getAsJsonPrimitive();
        return p.isBoolean() ? p.getAsBoolean() : p.isNumber() ? p.getAsNumber() : p.getAsString();
    }
}
