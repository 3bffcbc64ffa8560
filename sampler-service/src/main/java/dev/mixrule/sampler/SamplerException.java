package dev.mixrule.sampler;

import dev.mixrule.kernel.rpc.UnaryCalls;
import io.grpc.Status;

/** Refusals of the sampler's API, each with its gRPC status code (mapped by {@link UnaryCalls}). */
abstract class SamplerException extends UnaryCalls.Refusal {
    SamplerException(Status.Code code, String message) {
        super(code, message);
    }

    static final class NotFound extends SamplerException {
        NotFound(String message) {
            super(Status.Code.NOT_FOUND, message);
        }
    }

    static final class AlreadyExists extends SamplerException {
        AlreadyExists(String message) {
            super(Status.Code.ALREADY_EXISTS, message);
        }
    }

    static final class FailedPrecondition extends SamplerException {
        FailedPrecondition(String message) {
            super(Status.Code.FAILED_PRECONDITION, message);
        }
    }
}
