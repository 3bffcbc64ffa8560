package dev.mixrule.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;

/** gRPC channels to the local stack (or wherever MIXRULE_LEADERBOARD / MIXRULE_SAMPLER point, host:port). */
public final class Grpc {
    private Grpc() {}

    static ManagedChannel leaderboard() {
        return channel(System.getenv().getOrDefault("MIXRULE_LEADERBOARD", "127.0.0.1:50051"));
    }

    static ManagedChannel sampler() {
        return channel(System.getenv().getOrDefault("MIXRULE_SAMPLER", "127.0.0.1:50061"));
    }

    public static ManagedChannel channel(String target) {
        return ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    }

    /** A message for people: what the server said, and what to do when nothing answered. */
    static String explain(StatusRuntimeException e, String what) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE -> what + " is not reachable (" + e.getStatus().getDescription()
                    + "); start the stack with ./mixrule up";
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION -> e.getStatus().getDescription();
            default -> what + " answered " + e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        };
    }
}
