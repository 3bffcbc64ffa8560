package dev.mixrule.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment's trials as rows: the cells of one trial (fixed columns, then one column per metric of its entry,
 * then per evaluator its version, protocol, status, examples, principal and failure reason as "evaluator:field"),
 * the header over all rows (the union of their metric and evaluator columns, each group sorted by name, so two
 * exports of the same trials have the same columns), CSV quoting (RFC 4180) and the JSON line of a trial.
 */
public final class TrialTable {
    /** Columns every row has, in this order. trained_by_experiment differs from experiment_id for reused genomes. */
    public static final List<String> FIXED = List.of("experiment_id", "genome_id", "dataset", "status", "reused",
            "trained_by_experiment", "canonical", "rules", "unreliable", "training_principal", "proposed_at_ms", "updated_at_ms");
    /** What each evaluator column says, in this order after its name and a colon (":" appears in no metric name). */
    public static final List<String> EVALUATOR_FIELDS = List.of("version", "protocol", "status", "examples", "principal", "failure_reason");

    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().serializeNulls().serializeSpecialFloatingPointValues().create();

    private final Set<String> metrics = new TreeSet<>();
    private final Set<String> evaluators = new TreeSet<>();

    /** Widens the header by the metric and evaluator columns of this trial. */
    public void add(Trial t) {
        if (t.entry() != null) {
            metrics.addAll(t.entry().getMetricsMap().keySet());
            t.entry().getEvaluationsList().forEach(e -> evaluators.add(e.getEvaluator().getName()));
        }
    }

    /** The header: the fixed columns, every metric seen, then every evaluator's fields. */
    public List<String> columns() {
        List<String> out = new ArrayList<>(FIXED);
        out.addAll(metrics);
        for (String evaluator : evaluators) {
            EVALUATOR_FIELDS.forEach(f -> out.add(evaluator + ":" + f));
        }
        return out;
    }

    /** The trial's cells by column; columns it lacks are absent (an empty CSV cell). */
    public static Map<String, String> cells(String experimentId, Trial t) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("experiment_id", experimentId);
        c.put("genome_id", t.genomeId());
        c.put("status", t.status().label());
        c.put("reused", Boolean.toString(t.reused()));
        LeaderboardEntry e = t.entry();
        if (e == null) {
            return c;
        }
        c.put("dataset", e.getDataset());
        c.put("trained_by_experiment", e.getExperimentId());
        c.put("canonical", e.getCanonical());
        c.put("rules", String.join(" ", e.getRulesList()));
        c.put("unreliable", Boolean.toString(e.getUnreliable()));
        c.put("training_principal", e.getTrainingPrincipal());
        c.put("proposed_at_ms", Long.toString(e.getProposedAtMs()));
        c.put("updated_at_ms", Long.toString(e.getUpdatedAtMs()));
        e.getMetricsMap().forEach((k, v) -> c.put(k, number(v)));
        for (EvaluationResult ev : e.getEvaluationsList()) {
            String p = ev.getEvaluator().getName() + ":";
            c.put(p + "version", ev.getEvaluator().getVersion());
            c.put(p + "protocol", ev.getProtocol());
            c.put(p + "status", ev.getStatus().name().replace("EVALUATION_STATUS_", "").toLowerCase(Locale.ROOT));
            c.put(p + "examples", Integer.toString(ev.getExamples()));
            c.put(p + "principal", ev.getProducerPrincipal());
            c.put(p + "failure_reason", ev.getFailureReason());
        }
        return c;
    }

    /** A CSV line of these cells in the order of columns (no line break). */
    public static String csvLine(List<String> columns, Map<String, String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csv(cells.getOrDefault(columns.get(i), "")));
        }
        return sb.toString();
    }

    /** One CSV field: quoted when it holds a comma, quote, line break or edge space, quotes doubled (RFC 4180). */
    public static String csv(String field) {
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0
                || (!field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' '));
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /** A metric for a CSV cell: whole numbers without ".0" (parameters, macs, epochs), others as Java writes doubles. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v); // NaN, Infinity and -Infinity as such: what CSV readers (pandas, R) parse
    }

    /**
     * The JSON line of a trial: experiment_id, genome_id, status, reused, and its entry in the one JSON view every
     * printer uses ({@link Output#entry}: genome, metrics, evaluations with their metrics and principal, learning curve),
     * or null while it has none.
     */
    public static String jsonLine(String experimentId, Trial t) {
        JsonObject o = new JsonObject();
        o.addProperty("experiment_id", experimentId);
        o.addProperty("genome_id", t.genomeId());
        o.addProperty("status", t.status().label());
        o.addProperty("reused", t.reused());
        o.add("entry", t.entry() == null ? null : Output.entry(t.entry()));
        return LINE.toJson(o);
    }

    /** A map of cells as one compact JSON line (the CSV export spools rows like this until the header is known). */
    static String spool(Map<String, String> cells) {
        return LINE.toJson(cells);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> unspool(String line) {
        return LINE.fromJson(line, Map.class);
    }
}
