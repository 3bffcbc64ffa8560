package dev.mixrule.core.attacks;

/**
 * The input gradient of a classifier could not be computed: its forward does not reach the input
 * through the autograd graph (a stop-gradient or detached copy), or its backward threw. A white-box
 * attack that meets this cannot run, and must not pretend it did by using a zero gradient.
 */
public final class GradientUnavailableException extends RuntimeException {
    public GradientUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
