package dev.mixrule.core.training;

/** Training produced a non-finite loss. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
