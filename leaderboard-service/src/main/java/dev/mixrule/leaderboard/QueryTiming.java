package dev.mixrule.leaderboard;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;

/** Times every Leaderboard gRPC call from its start to its close, refused ones included ({@link LeaderboardMetrics}). */
@Singleton
@GlobalInterceptor
public class QueryTiming implements ServerInterceptor {
    private final LeaderboardMetrics meters;

    public QueryTiming(LeaderboardMetrics meters) {
        this.meters = meters;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                meters.queried(method, status.getCode(), System.nanoTime() - start);
                super.close(status, trailers);
            }
        }, headers);
    }
}
