package dev.mixrule.kernel.messaging;

import java.util.Locale;

/**
 * Why a record went to the dead-letter topic, as a small fixed set: the label of the dead-letter counter
 * ({@link dev.mixrule.kernel.telemetry.Meter#DEAD_LETTERS}). The full reason, with the record's key and the
 * offending names, stays in the record's {@code dead-letter-reason} header and the log.
 */
public enum DeadLetterReason {
    /** Empty value, or not the protobuf message its topic carries. */
    UNPARSEABLE,
    /** The key is not the 16-hex-digit genome id the value names. */
    BAD_KEY,
    /** No principal or signature header. */
    UNSIGNED,
    /** The named principal has no registered key. */
    UNKNOWN_PRINCIPAL,
    /** The signature does not verify for the named principal. */
    BAD_SIGNATURE,
    /** Signed by a principal whose role may not publish this record (a training result not from a trainer). */
    WRONG_ROLE,
    /** A required field (dataset, evaluator name) is missing. */
    INCOMPLETE,
    /** A metric breaks its contract (kernel MetricContracts): out of range, unknown direction. */
    METRIC_CONTRACT,
    /** The evaluator or one of its metrics belongs to someone else, or the evaluator is not registered. */
    OWNERSHIP,
    /** An evaluation arrived before its training result while the pending area was full. */
    PENDING_FULL,
    /** Anything else the consumer threw while handling the record. */
    PROCESSING_FAILED;

    /** The label value: the constant's name in lower case ("bad_signature"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a failure thrown by a consumer: a refusal's own, otherwise {@link #PROCESSING_FAILED}. */
    public static DeadLetterReason of(Throwable failure) {
        return failure instanceof MalformedRecordException m ? m.reason() : PROCESSING_FAILED;
    }
}
