package dev.mixrule.kernel.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a mixrule gRPC service answers a unary call and turns what its logic throws into a status:
 * a {@link StatusRuntimeException} as thrown, {@link IllegalArgumentException} (a bad argument, named in the
 * message) as INVALID_ARGUMENT, a {@link Refusal} as its code, and anything else as the service's
 * {@code otherwise} decides (its store being unreachable as UNAVAILABLE, for instance), by default INTERNAL.
 */
public final class UnaryCalls {
    private UnaryCalls() {}

    /** A refusal of a service's API that maps to one gRPC status code (NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ...). */
    public static class Refusal extends RuntimeException {
        private final Status.Code code;

        public Refusal(Status.Code code, String message) {
            super(message);
            this.code = code;
        }

        public Status.Code code() {
            return code;
        }
    }

    public static <T> void answer(StreamObserver<T> out, Supplier<T> body, Function<RuntimeException, Status> otherwise) {
        T value;
        try {
            value = body.get();
        } catch (RuntimeException e) {
            out.onError(status(e, otherwise));
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }

    /** The status of what a call threw. */
    public static StatusRuntimeException status(RuntimeException e, Function<RuntimeException, Status> otherwise) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof Refusal r) {
            return Status.fromCode(r.code()).withDescription(e.getMessage()).asRuntimeException();
        }
        Status s = otherwise.apply(e);
        return (s != null ? s : Status.INTERNAL.withDescription(String.valueOf(e.getMessage()))).withCause(e).asRuntimeException();
    }
}
