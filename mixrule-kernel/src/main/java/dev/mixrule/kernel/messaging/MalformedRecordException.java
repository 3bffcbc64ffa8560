package dev.mixrule.kernel.messaging;

/** A Kafka record whose value is not the message its topic carries; it belongs on the dead-letter topic. */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedRecordException(String message) {
        super(message);
    }
}
