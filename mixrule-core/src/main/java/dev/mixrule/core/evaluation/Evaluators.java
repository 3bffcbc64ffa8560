package dev.mixrule.core.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of built-in evaluators, by name. */
public final class Evaluators {
    private static final Map<String, Evaluator> ALL = new LinkedHashMap<>();

    static {
        register(new CleanAccuracy());
    }

    private Evaluators() {}

    private static void register(Evaluator e) {
        ALL.put(e.name(), e);
    }

    public static Evaluator get(String name) {
        Evaluator e = ALL.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown evaluator '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return e;
    }

    public static List<Evaluator> all() {
        return List.copyOf(ALL.values());
    }
}
