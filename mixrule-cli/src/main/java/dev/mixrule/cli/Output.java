package dev.mixrule.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mixrule.core.evaluation.CleanAccuracy;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.leaderboard.store.EntryJson;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** JSON and table renderings of what the CLI prints. JSON fields follow the proto's snake_case names. */
public final class Output {
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    /** GSON that writes null fields too, for outputs whose keys machines rely on. */
    public static final Gson GSON_WITH_NULLS = GSON.newBuilder().serializeNulls().create();

    private Output() {}

    public static String json(JsonElement e) {
        return GSON.toJson(e);
    }

    /** The entry as every printer shows it: {@link EntryJson}, the web API's shape too. */
    public static JsonObject entry(LeaderboardEntry e) {
        return GSON.toJsonTree(EntryJson.of(e)).getAsJsonObject();
    }

    public static JsonArray entries(List<LeaderboardEntry> list) {
        JsonArray a = new JsonArray();
        list.forEach(e -> a.add(entry(e)));
        return a;
    }

    /**
     * A fixed-width table of entries for people: the ranking metric, then validation accuracy, robust accuracy on the
     * validation subset (when an entry has it) and test accuracy (test reports, it never ranks unasked). Column heads
     * are the metric names with "_accuracy" shortened to "_acc", so each says its split.
     */
    public static String table(List<LeaderboardEntry> list, String metric) {
        List<String> columns = new ArrayList<>(List.of(metric));
        for (String report : List.of(Metric.VALID_ACCURACY.key(), Metric.VALID_APGD_ACCURACY.key(), Metric.TEST_ACCURACY.key())) {
            boolean measured = list.stream().anyMatch(e -> e.containsMetrics(report)) || !report.equals(Metric.VALID_APGD_ACCURACY.key());
            if (!report.equals(metric) && measured) {
                columns.add(report);
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%4s  %-16s", "rank", "genome_id"));
        for (String c : columns) {
            sb.append(String.format(Locale.ROOT, "  %" + width(c) + "s", head(c)));
        }
        sb.append(String.format(Locale.ROOT, "  %7s  %9s  %-22s  %s%n", "bp_frac", "params", "rules", "architecture"));
        for (LeaderboardEntry e : list) {
            Map<String, Double> m = e.getMetricsMap();
            sb.append(String.format(Locale.ROOT, "%4d  %-16s", e.getRank(), e.getGenomeId()));
            for (String c : columns) {
                sb.append(String.format(Locale.ROOT, "  %" + width(c) + "s", fmt(m.get(c))));
            }
            sb.append(String.format(Locale.ROOT, "  %7.2f  %9d  %-22s  %s%n", e.getCost().getBpFraction(), e.getCost().getParameters(),
                    String.join(",", e.getRulesList()), e.getCanonical()));
        }
        return sb.toString();
    }

    /** A column's head: the metric name, "_accuracy" shortened to "_acc" (valid_acc, valid_apgd_acc, test_acc). */
    static String head(String metric) {
        return metric.endsWith("_accuracy") ? metric.substring(0, metric.length() - "uracy".length()) : metric;
    }

    /** A column's width: its head's, at least 9 (a value prints as 0.1234). */
    static int width(String metric) {
        return Math.max(9, head(metric).length());
    }

    /**
     * What the table's accuracy columns measured, from the entries' own records: the images behind valid_acc and
     * test_acc, and the robustness protocol behind the valid_* robust columns (protocol, split, images, eps, attacks).
     */
    public static String columnNotes(List<LeaderboardEntry> list) {
        StringBuilder sb = new StringBuilder();
        list.stream().filter(LeaderboardEntry::hasTraining).findFirst().ifPresent(e -> sb.append(String.format(Locale.ROOT,
                "%s: clean accuracy on %d validation images (chooses and ranks)%n", head(Metric.VALID_ACCURACY.key()),
                e.getTraining().getValidExamples())));
        list.stream().flatMap(e -> e.getEvaluationsList().stream()).filter(r -> r.getEvaluator().getName().equals(RobustnessEvaluator.NAME)
                && r.getStatus() == EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).findFirst().ifPresent(r -> sb.append(String.format(
                Locale.ROOT, "%s: APGD-CE accuracy on %d validation images, robustness protocol %s%n",
                head(Metric.VALID_APGD_ACCURACY.key()), r.getExamples(), r.getProtocol())));
        list.stream().flatMap(e -> e.getEvaluationsList().stream()).filter(r -> r.getEvaluator().getName().equals(CleanAccuracy.NAME)
                && r.getStatus() == EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).findFirst().ifPresent(r -> sb.append(String.format(
                Locale.ROOT, "%s: clean accuracy on %d test images (a report: it never chose)%n", head(Metric.TEST_ACCURACY.key()),
                r.getExamples())));
        return sb.toString();
    }

    static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }
}
