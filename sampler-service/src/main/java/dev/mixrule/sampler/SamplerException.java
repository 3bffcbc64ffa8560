package dev.mixrule.sampler;

/** Refusals of the sampler's API, each mapped to one gRPC status by {@link SamplerGrpcService}. */
abstract class SamplerException extends RuntimeException {
    SamplerException(String message) {
        super(message);
    }

    static final class NotFound extends SamplerException {
        NotFound(String message) {
            super(message);
        }
    }

    static final class AlreadyExists extends SamplerException {
        AlreadyExists(String message) {
            super(message);
        }
    }

    static final class FailedPrecondition extends SamplerException {
        FailedPrecondition(String message) {
            super(message);
        }
    }
}
