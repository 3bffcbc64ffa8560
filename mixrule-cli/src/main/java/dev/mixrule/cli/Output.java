package dev.mixrule.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** JSON and table renderings of what the CLI prints. JSON fields follow the proto's snake_case names. */
public final class Output {
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private Output() {}

    public static String json(JsonElement e) {
        return GSON.toJson(e);
    }

    public static JsonObject entry(LeaderboardEntry e) {
        JsonObject o = new JsonObject();
        o.addProperty("rank", e.getRank());
        o.addProperty("genome_id", e.getGenomeId());
        o.addProperty("dataset", e.getDataset());
        o.addProperty("experiment_id", e.getExperimentId());
        o.addProperty("canonical", e.getCanonical());
        Double test = e.getMetricsMap().get("test_accuracy");
        if (test != null) {
            o.addProperty("test_accuracy", test);
        }
        if (e.hasTraining()) {
            o.addProperty("valid_accuracy", e.getTraining().getValidAccuracy());
            o.addProperty("train_seconds", e.getTraining().getTrainSeconds());
            o.addProperty("train_images_per_second", e.getTraining().getTrainImagesPerSecond());
        }
        JsonArray rules = new JsonArray();
        e.getRulesList().forEach(rules::add);
        o.add("rules", rules);
        if (e.hasCost()) {
            o.addProperty("bp_fraction", e.getCost().getBpFraction());
            JsonObject fr = new JsonObject();
            new TreeMap<>(e.getCost().getRuleFractionsMap()).forEach(fr::addProperty);
            o.add("rule_fractions", fr);
            o.addProperty("parameters", e.getCost().getParameters());
            o.addProperty("macs", e.getCost().getMacs());
        }
        JsonObject metrics = new JsonObject();
        new TreeMap<>(e.getMetricsMap()).forEach(metrics::addProperty);
        o.add("metrics", metrics);
        JsonArray evals = new JsonArray();
        e.getEvaluationsList().forEach(ev -> {
            JsonObject eo = new JsonObject();
            eo.addProperty("evaluator", ev.getEvaluator().getName());
            eo.addProperty("version", ev.getEvaluator().getVersion());
            eo.addProperty("protocol", ev.getProtocol());
            eo.addProperty("examples", ev.getExamples());
            eo.addProperty("status", ev.getStatus().name().replace("EVALUATION_STATUS_", "").toLowerCase(Locale.ROOT));
            evals.add(eo);
        });
        o.add("evaluations", evals);
        o.addProperty("unreliable", e.getUnreliable());
        o.addProperty("checkpoint_uri", e.getCheckpointUri());
        o.addProperty("updated_at_ms", e.getUpdatedAtMs());
        if (e.hasGenome() && e.getGenome().hasChain()) {
            o.add("genome", GenomeCodec.toJsonObject(e.getGenome()));
        }
        return o;
    }

    public static JsonArray entries(List<LeaderboardEntry> list) {
        JsonArray a = new JsonArray();
        list.forEach(e -> a.add(entry(e)));
        return a;
    }

    /** A fixed-width table of entries for people: the ranking metric, then valid and test accuracy (test reports, it never ranks unasked). */
    public static String table(List<LeaderboardEntry> list, String metric) {
        List<String> columns = new java.util.ArrayList<>(List.of(metric));
        for (String report : List.of("valid_accuracy", "test_accuracy")) {
            if (!report.equals(metric)) {
                columns.add(report);
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%4s  %-16s", "rank", "genome_id"));
        for (String c : columns) {
            String head = c.endsWith("_accuracy") ? c.substring(0, c.length() - "uracy".length()) : c;
            sb.append(String.format(Locale.ROOT, "  %9s", head.length() > 9 ? head.substring(0, 9) : head));
        }
        sb.append(String.format(Locale.ROOT, "  %7s  %9s  %-22s  %s%n", "bp_frac", "params", "rules", "architecture"));
        for (LeaderboardEntry e : list) {
            Map<String, Double> m = e.getMetricsMap();
            sb.append(String.format(Locale.ROOT, "%4d  %-16s", e.getRank(), e.getGenomeId()));
            for (String c : columns) {
                sb.append(String.format(Locale.ROOT, "  %9s", fmt(m.get(c))));
            }
            sb.append(String.format(Locale.ROOT, "  %7.2f  %9d  %-22s  %s%n", e.getCost().getBpFraction(), e.getCost().getParameters(),
                    String.join(",", e.getRulesList()), e.getCanonical()));
        }
        return sb.toString();
    }

    static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }
}
