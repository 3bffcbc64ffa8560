package dev.mixrule.kernel.messaging;

/**
 * A Kafka record whose value is not the message its topic carries, or that its consumer refuses; it belongs on
 * the dead-letter topic. The message says exactly what was wrong; {@link #reason()} says which kind of wrong.
 */
public class MalformedRecordException extends RuntimeException {
    private final DeadLetterReason reason;

    public MalformedRecordException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public MalformedRecordException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
