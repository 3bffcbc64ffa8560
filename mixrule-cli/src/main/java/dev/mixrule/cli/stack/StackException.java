package dev.mixrule.cli.stack;

/** The local stack could not do what was asked; the message says what to do next. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }
}
