package dev.mixrule.kernel.genome;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The two architecture families a genome can have, by the name genomes, experiments and the CLI use. */
public enum Architecture {
    CHAIN, NB201;

    /** The name as written in genome JSON ("space"), experiment specs and options: chain, nb201. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a name; the error lists the names that exist. */
    public static Architecture fromName(String name) {
        for (Architecture a : values()) {
            if (a.key().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown search space '" + name + "'; known: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Architecture::key).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return key();
    }
}
