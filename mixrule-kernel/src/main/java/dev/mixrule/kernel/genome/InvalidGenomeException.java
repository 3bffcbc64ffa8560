package dev.mixrule.kernel.genome;

import java.util.List;

/** A genome that cannot be built or trained; {@link #violations()} names each field and why. */
public class InvalidGenomeException extends IllegalArgumentException {
    private final List<Violation> violations;

    public InvalidGenomeException(List<Violation> violations) {
        super("invalid genome: " + String.join("; ", violations.stream().map(Violation::toString).toList()));
        this.violations = List.copyOf(violations);
    }

    public InvalidGenomeException(String field, String reason) {
        this(List.of(new Violation(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }

    /** One thing wrong with a genome: the field path (e.g. {@code layers[2].kernel}) and the reason. */
    public record Violation(String field, String reason) {
        @Override
        public String toString() {
            return field + ": " + reason;
        }
    }
}
