package dev.mixrule.kernel.telemetry;

import java.util.Collection;
import java.util.TreeSet;

/** The label names of {@link Meter}, and the one function that makes a bounded label of a genome's rules. */
public final class MeterLabels {
    public static final String EXPERIMENT = "experiment";
    /** The set of learning rules a genome uses, {@link #ruleSet}. */
    public static final String RULES = "rules";
    public static final String STATUS = "status";
    public static final String EVALUATOR = "evaluator";
    public static final String TOPIC = "topic";
    public static final String OUTCOME = "outcome";
    /** A gRPC method's bare name ("Top", "GetEntry"). */
    public static final String METHOD = "method";
    /** A {@link dev.mixrule.kernel.messaging.DeadLetterReason#label()}. */
    public static final String REASON = "reason";

    /** The rules label of a genome whose rules are not known (a candidate that failed before it was planned). */
    public static final String UNKNOWN_RULES = "unknown";

    private MeterLabels() {}

    /**
     * The distinct rule names of a genome, sorted and joined by '+' ("bp+fa", "usf"): at most one value per subset
     * of the seven rules, however many genomes, so a histogram by it stays small.
     */
    public static String ruleSet(Collection<String> ruleNames) {
        TreeSet<String> sorted = new TreeSet<>(ruleNames);
        return sorted.isEmpty() ? UNKNOWN_RULES : String.join("+", sorted);
    }
}
