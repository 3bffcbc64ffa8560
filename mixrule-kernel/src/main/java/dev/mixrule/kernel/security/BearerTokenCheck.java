package dev.mixrule.kernel.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Predicate;

/**
 * Lets a protected gRPC method through only with {@code authorization: Bearer <token>}; any other call passes
 * untouched. A missing or wrong token ends the call with UNAUTHENTICATED and a message saying where the token is.
 */
public abstract class BearerTokenCheck implements ServerInterceptor {
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    public static final String WHERE = "the local stack's token is 'token' in <run dir>/secrets/passwords.properties "
            + "(./mixrule sends it itself); in docker-compose and k8s it is the secret mixrule-api-token";

    private final byte[] expected;
    private final Predicate<String> isProtected;

    /**
     * @param token the token callers must send; null or blank lets nobody call a protected method
     * @param isProtected which full method names (mixrule.v1.Sampler/CreateExperiment) need it
     */
    public BearerTokenCheck(String token, Predicate<String> isProtected) {
        this.expected = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.isProtected = isProtected;
    }

    @Override
    public final <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!isProtected.test(method)) {
            return next.startCall(call, headers);
        }
        String problem = problem(headers.get(AUTHORIZATION));
        if (problem == null) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(method + " needs 'authorization: Bearer <token>' metadata: "
                + problem + "; " + WHERE), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private String problem(String header) {
        if (expected == null) {
            return "this server has no token configured (set mixrule.api.token / MIXRULE_API_TOKEN)";
        }
        if (header == null) {
            return "none was sent";
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "the header is not a bearer token";
        }
        byte[] sent = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(sent, expected) ? null : "the token sent is not this server's";
    }
}
