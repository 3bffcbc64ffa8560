package dev.mixrule.core.genome;

import dev.mixrule.proto.LearningRule;
import java.util.Locale;

/** The learning rules a trainable layer can use, by their short names as they appear in genomes. */
public enum Rule {
    BP("bp", LearningRule.LEARNING_RULE_BP),
    FA("fa", LearningRule.LEARNING_RULE_FA),
    USF("usf", LearningRule.LEARNING_RULE_USF),
    BRSF("brsf", LearningRule.LEARNING_RULE_BRSF),
    FRSF("frsf", LearningRule.LEARNING_RULE_FRSF),
    DFA("dfa", LearningRule.LEARNING_RULE_DFA),
    HEBBIAN("hebbian", LearningRule.LEARNING_RULE_HEBBIAN);

    private final String shortName;
    private final LearningRule proto;

    Rule(String shortName, LearningRule proto) {
        this.shortName = shortName;
        this.proto = proto;
    }

    public String shortName() {
        return shortName;
    }

    public LearningRule proto() {
        return proto;
    }

    public static Rule fromProto(LearningRule rule) {
        for (Rule r : values()) {
            if (r.proto == rule) {
                return r;
            }
        }
        throw new IllegalArgumentException("no learning rule set (" + rule + ")");
    }

    /** Parses a short name such as {@code fa}; the error lists the names that exist. */
    public static Rule fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Rule r : values()) {
            if (r.shortName.equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown learning rule '" + name + "'; known rules: " + names());
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Rule r : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.shortName);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return shortName;
    }
}
