package dev.mixrule.kernel.search;

import dev.mixrule.kernel.space.SearchSpace;
import java.util.List;

/** The registry of search strategies, by name. */
public final class Strategies {
    public static final List<String> NAMES = List.of("random", "regularized-evolution", "nsga2");
    /**
     * The strategy of an experiment that names none: the sampler's own default, which decides for every client
     * that leaves the field empty (a client may still ask for another by name, as the CLI's experiment create does).
     */
    public static final String DEFAULT = "random";

    private Strategies() {}

    /**
     * Default parameters: evolution P=20, S=5 (between NATS-Bench's 10/3 and NNI's 100/25); NSGA-II P=40
     * (with 20 it collapsed onto few fronts and beat random search in only 11 of 20 seeds).
     */
    public static SearchStrategy create(String name, SearchSpace space, List<Objective> objectives) {
        return switch (name) {
            case "random" -> new RandomSearch(space);
            case "regularized-evolution" -> new RegularizedEvolution(space, objectives.get(0), 20, 5);
            case "nsga2" -> new Nsga2(space, objectives, 40);
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }
}
