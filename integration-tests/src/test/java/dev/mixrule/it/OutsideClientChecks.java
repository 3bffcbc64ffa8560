package dev.mixrule.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.cli.stack.LocalSecrets;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kernel.security.BearerTokenCheck;
import dev.mixrule.kernel.security.RedisUsers;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ListExperimentsRequest;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.TrainingConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What a client from outside sees of a running stack (docs/security.md): gRPC in plain text gets nothing; over TLS
 * without the token, CreateExperiment is UNAUTHENTICATED; with the token it works. On Redis, a connection without
 * credentials cannot read the leaderboard's keys, and the leaderboard's own user cannot FLUSHALL.
 */
final class OutsideClientChecks {
    private OutsideClientChecks() {}

    static void run(StackConfig c, String adminRedisUrl) throws Exception {
        LocalSecrets secrets = LocalSecrets.ensure(c.runDir());
        grpc(c, secrets);
        redis(c, secrets, adminRedisUrl);
    }

    private static void grpc(StackConfig c, LocalSecrets secrets) throws Exception {
        ManagedChannel plain = ManagedChannelBuilder.forAddress("127.0.0.1", c.samplerGrpcPort()).usePlaintext().build();
        ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", c.samplerGrpcPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(secrets.caPem().toFile()).build()).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SamplerGrpc.newBlockingStub(plain)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).listExperiments(ListExperimentsRequest.getDefaultInstance()));
            report("plain-text ListExperiments", e.getStatus());
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());

            var anonymous = SamplerGrpc.newBlockingStub(tls).withDeadlineAfter(30, TimeUnit.SECONDS);
            report("TLS ListExperiments without token", Status.OK.withDescription(
                    anonymous.listExperiments(ListExperimentsRequest.getDefaultInstance()).getExperimentsCount() + " experiments"));
            e = assertThrows(StatusRuntimeException.class, () -> anonymous.createExperiment(spec("it-no-token")));
            report("TLS CreateExperiment without token", e.getStatus());
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("passwords.properties"), e.getStatus().getDescription());

            Metadata auth = new Metadata();
            auth.put(BearerTokenCheck.AUTHORIZATION, "Bearer " + secrets.token());
            var operator = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
            report("TLS CreateExperiment with token", Status.OK.withDescription(
                    "state " + operator.createExperiment(spec("it-with-token")).getState()));
            report("TLS StopExperiment with token", Status.OK.withDescription("state " + operator.stopExperiment(
                    dev.mixrule.proto.StopExperimentRequest.newBuilder().setExperimentId("it-with-token").build()).getState()));
        } finally {
            plain.shutdownNow();
            tls.shutdownNow();
        }
    }

    private static void redis(StackConfig c, LocalSecrets secrets, String adminRedisUrl) {
        String leaderboardKey = c.redisPrefix() + "datasets";
        URI anonymous = URI.create(adminRedisUrl.replaceFirst("//[^@/]*@", "//"));
        String as = RedisUsers.url(adminRedisUrl, RedisUsers.SAMPLER, c.redisPrefix(), secrets.password(RedisUsers.SAMPLER));
        try (Jedis sampler = new Jedis(URI.create(as))) {
            JedisException e = assertThrows(JedisException.class, () -> sampler.smembers(leaderboardKey));
            System.out.println("[security] redis as " + RedisUsers.user(RedisUsers.SAMPLER, c.redisPrefix()) + ": SMEMBERS "
                    + leaderboardKey + " -> " + e.getMessage());
        }
        try (Jedis nobody = new Jedis(anonymous)) {
            String open;
            try {
                open = "EXISTS " + leaderboardKey + " = " + nobody.exists(leaderboardKey)
                        + " (this Redis's default user needs no password: not the stack's to change; docker-compose and k8s turn it off)";
            } catch (JedisException e) {
                open = e.getMessage();
            }
            System.out.println("[security] redis without credentials -> " + open);
            String answer;
            try {
                nobody.auth(RedisUsers.user(RedisUsers.LEADERBOARD, c.redisPrefix()), "wrong-password");
                answer = "AUTH accepted";
            } catch (JedisException e) {
                answer = e.getMessage();
            }
            System.out.println("[security] redis AUTH as the leaderboard user with a wrong password -> " + answer);
            assertTrue(answer.contains("WRONGPASS"), answer);
        }
        String lb = RedisUsers.url(adminRedisUrl, RedisUsers.LEADERBOARD, c.redisPrefix(), secrets.password(RedisUsers.LEADERBOARD));
        try (Jedis leaderboard = new Jedis(URI.create(lb))) {
            System.out.println("[security] redis as the leaderboard user: SMEMBERS " + leaderboardKey + " -> "
                    + leaderboard.smembers(leaderboardKey));
            JedisException e = assertThrows(JedisException.class, leaderboard::flushAll);
            System.out.println("[security] redis as the leaderboard user: FLUSHALL -> " + e.getMessage());
            assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
            e = assertThrows(JedisException.class, () -> leaderboard.configGet("requirepass"));
            System.out.println("[security] redis as the leaderboard user: CONFIG GET -> " + e.getMessage());
        }
    }

    private static ExperimentSpec spec(String id) {
        return ExperimentSpec.newBuilder().setExperimentId(id).setDataset("synthetic").setBudget(1).addRules("bp")
                .setTraining(TrainingConfig.newBuilder().setEpochs(1).setBatchSize(32)).setSeed(1).build();
    }

    private static void report(String what, Status status) {
        System.out.println("[security] " + what + " -> " + status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription()));
    }
}
