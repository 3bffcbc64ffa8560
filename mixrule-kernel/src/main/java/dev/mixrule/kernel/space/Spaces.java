package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.Architecture;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import java.util.List;

/** The search space of each architecture family: the one place that maps a space name to its class. */
public final class Spaces {
    private Spaces() {}

    public static SearchSpace of(Architecture architecture, InputShape input, List<Rule> rules) {
        return switch (architecture) {
            case CHAIN -> new ChainSpace(input, rules);
            case NB201 -> new Nb201Space(input, rules);
        };
    }

    /** The space of a name (chain, nb201); the error lists the names that exist. */
    public static SearchSpace of(String name, InputShape input, List<Rule> rules) {
        return of(Architecture.fromName(name), input, rules);
    }
}
