package dev.mixrule.kernel.genome;

import dev.mixrule.proto.LearningRule;
import java.util.Locale;

/**
 * The learning rules a trainable layer can use, by their short names as they appear in genomes, with
 * what each does where rules meet (docs/learning-rules.md): whether its weights learn from the loss's
 * error, whether the error it sends its input is the true gradient, and whether it sends one even when
 * none reaches its own output. The rule classes (rules/) implement these; genome analysis reads them.
 */
public enum Rule {
    BP("bp", LearningRule.LEARNING_RULE_BP, true, true, false),
    FA("fa", LearningRule.LEARNING_RULE_FA, true, false, false),
    USF("usf", LearningRule.LEARNING_RULE_USF, true, false, false),
    BRSF("brsf", LearningRule.LEARNING_RULE_BRSF, true, false, false),
    FRSF("frsf", LearningRule.LEARNING_RULE_FRSF, true, false, false),
    DFA("dfa", LearningRule.LEARNING_RULE_DFA, true, false, true),
    HEBBIAN("hebbian", LearningRule.LEARNING_RULE_HEBBIAN, false, false, false);

    private final String shortName;
    private final LearningRule proto;
    private final boolean learnsFromError;
    private final boolean sendsTrueError;
    private final boolean sendsErrorWithoutReceiving;

    Rule(String shortName, LearningRule proto, boolean learnsFromError, boolean sendsTrueError, boolean sendsErrorWithoutReceiving) {
        this.shortName = shortName;
        this.proto = proto;
        this.learnsFromError = learnsFromError;
        this.sendsTrueError = sendsTrueError;
        this.sendsErrorWithoutReceiving = sendsErrorWithoutReceiving;
    }

    /** Its weights learn from the error of the loss (every rule but hebbian). */
    public boolean learnsFromError() {
        return learnsFromError;
    }

    /** The error it sends its input is the true gradient W^T delta (bp only). */
    public boolean sendsTrueError() {
        return sendsTrueError;
    }

    /** It sends its input an error even when none reaches its own output (dfa: e B_l^T from the logits). */
    public boolean sendsErrorWithoutReceiving() {
        return sendsErrorWithoutReceiving;
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
