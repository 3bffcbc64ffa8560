package dev.mixrule.kernel.messaging;

import java.util.regex.Pattern;

/**
 * The one spelling of the names records and calls carry: datasets, metrics, evaluators (NAME) and
 * experiment ids (EXPERIMENT_ID, which also appear in keys and file names).
 */
public final class Names {
    /** Dataset, metric and evaluator names: lower case, digits, '_', '.', '-', at most 64 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /** Experiment ids: lower case, digits and '-', at most 40 characters. */
    public static final Pattern EXPERIMENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private Names() {}

    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    public static boolean isExperimentId(String s) {
        return s != null && EXPERIMENT_ID.matcher(s).matches();
    }

    /** Why {@code value} is not a valid name for {@code field}, as a sentence that names both; null when it is. */
    public static String nameProblem(String field, String value) {
        return isName(value) ? null : field + " must match " + NAME.pattern() + ", got '" + value + "'";
    }
}
