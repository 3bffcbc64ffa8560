package dev.mixrule.cli;

import dev.mixrule.cli.stack.LocalSecrets;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.cli.stack.StackException;
import dev.mixrule.kernel.security.BearerTokenCheck;
import dev.mixrule.kernel.security.ChannelSecurity;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * gRPC channels to the local stack (or wherever MIXRULE_LEADERBOARD / MIXRULE_SAMPLER point, host:port): TLS
 * trusting the stack's local CA (or the PEM in MIXRULE_CA), every call carrying the bearer token (or
 * MIXRULE_TOKEN), both read from the run directory's secrets; plain text only with MIXRULE_INSECURE=1.
 */
public final class Grpc {
    private static boolean warned;

    private Grpc() {}

    static ManagedChannel leaderboard() {
        return channel(System.getenv().getOrDefault("MIXRULE_LEADERBOARD", "127.0.0.1:50051"));
    }

    static ManagedChannel sampler() {
        return channel(System.getenv().getOrDefault("MIXRULE_SAMPLER", "127.0.0.1:50061"));
    }

    /** A channel with the secrets of the default run directory (MIXRULE_RUN_DIR, else .run). */
    public static ManagedChannel channel(String target) {
        return channel(target, StackConfig.defaults(StackConfig.findRepoRoot()).runDir());
    }

    /** A channel with the secrets of a stack's run directory. */
    public static ManagedChannel channel(String target, Path runDir) {
        Path secrets = runDir.resolve("secrets");
        String token = env("MIXRULE_TOKEN");
        if (ChannelSecurity.insecureFromEnv()) {
            warnInsecure();
            ManagedChannelBuilder<?> b = ManagedChannelBuilder.forTarget(target).usePlaintext();
            return (token != null ? b.intercept(bearer(token)) : b).build();
        }
        Path ca = env("MIXRULE_CA") != null ? Path.of(env("MIXRULE_CA")) : secrets.resolve("ca.pem");
        if (!Files.isReadable(ca)) {
            throw new StackException("no CA certificate at " + ca + " to check the server with: start the stack with "
                    + "./mixrule up (it makes one), or set MIXRULE_CA to your server's CA PEM");
        }
        try {
            if (token == null && Files.isReadable(secrets.resolve("passwords.properties"))) {
                token = LocalSecrets.ensure(runDir).token();
            }
            NettyChannelBuilder b = NettyChannelBuilder.forTarget(target)
                    .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build());
            return (token != null ? b.intercept(bearer(token)) : b).build();
        } catch (SSLException e) {
            throw new StackException("cannot use " + ca + " as the CA certificate (" + e.getMessage()
                    + "); delete " + secrets + " and restart the stack to make new ones");
        } catch (IOException e) {
            throw new StackException("cannot read the stack's secrets in " + secrets + ": " + e.getMessage());
        }
    }

    private static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(BearerTokenCheck.AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static synchronized void warnInsecure() {
        if (!warned) {
            warned = true;
            System.err.println("WARNING: " + ChannelSecurity.INSECURE_ENV + " is set: gRPC in PLAIN TEXT (development mode); "
                    + "unset it to use TLS, the default");
        }
    }

    /** A message for people: what the server said, and what to do when nothing answered. */
    static String explain(StatusRuntimeException e, String what) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE -> what + " is not reachable (" + e.getStatus().getDescription()
                    + "); start the stack with ./mixrule up" + (ChannelSecurity.insecureFromEnv()
                    ? " (MIXRULE_INSECURE=1 needs a stack started with it too)" : "");
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, UNAUTHENTICATED -> e.getStatus().getDescription();
            default -> what + " answered " + e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        };
    }
}
