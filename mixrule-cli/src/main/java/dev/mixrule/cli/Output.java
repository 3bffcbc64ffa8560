package dev.mixrule.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.leaderboard.store.EntryJson;
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

    /** A fixed-width table of entries for people: the ranking metric, then valid and test accuracy (test reports, it never ranks unasked). */
    public static String table(List<LeaderboardEntry> list, String metric) {
        List<String> columns = new ArrayList<>(List.of(metric));
        for (String report : List.of(Metric.VALID_ACCURACY.key(), Metric.TEST_ACCURACY.key())) {
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
