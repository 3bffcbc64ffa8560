package dev.mixrule.cli.stack;

import dev.mixrule.kernel.security.ChannelSecurity;
import dev.mixrule.kernel.security.RedisUsers;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The channel security of the local stack (docs/security.md): the Redis ACL users of the leaderboard and the
 * sampler, created at every start with the passwords of {@link LocalSecrets}, and what each service is given
 * (its Redis user, the gRPC key store, the bearer token) through its environment, never its command line.
 * TLS is on unless MIXRULE_INSECURE=1 (plain-text development mode, announced with a warning).
 */
public final class StackSecurity {
    private final StackConfig config;
    private final PrintStream log;
    private LocalSecrets secrets;

    public StackSecurity(StackConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    public LocalSecrets secrets() throws IOException {
        if (secrets == null) {
            secrets = LocalSecrets.ensure(config.runDir());
        }
        return secrets;
    }

    /** Creates or updates the services' ACL users, as the user of adminUrl (the default user of the local Redis). */
    public void ensureRedisUsers(String adminUrl) throws IOException {
        try (Jedis j = new Jedis(URI.create(adminUrl))) {
            for (String role : new String[] {RedisUsers.LEADERBOARD, RedisUsers.SAMPLER}) {
                j.aclSetUser(RedisUsers.user(role, config.redisPrefix()),
                        RedisUsers.rules(role, config.redisPrefix(), secrets().password(role)).toArray(String[]::new));
            }
        } catch (JedisException e) {
            throw new StackException("creating the Redis ACL users on " + redact(adminUrl) + " failed (" + e.getMessage()
                    + "): the stack needs Redis 6.2 or later and a user allowed ACL SETUSER; point MIXRULE_REDIS_URL at "
                    + "redis://<admin user>:<password>@host:port");
        }
        log.println("  redis: users " + RedisUsers.user(RedisUsers.LEADERBOARD, config.redisPrefix()) + " and "
                + RedisUsers.user(RedisUsers.SAMPLER, config.redisPrefix()) + " (own keys only; passwords in "
                + secrets().dir() + ")");
    }

    /** The environment of a service: its Redis user (sampler, leaderboard), TLS key store and token (gRPC servers). */
    public Map<String, String> serviceEnv(String service, String redisUrl) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        String role = switch (service) {
            case "leaderboard-service" -> RedisUsers.LEADERBOARD;
            case "sampler-service" -> RedisUsers.SAMPLER;
            default -> null;
        };
        if (role == null) {
            return env;
        }
        env.put("MIXRULE_REDIS_URL", RedisUsers.url(redisUrl, role, config.redisPrefix(), secrets().password(role)));
        env.put("MIXRULE_API_TOKEN", secrets().token());
        env.putAll(grpcServerEnv(secrets()));
        return env;
    }

    /** A gRPC server's TLS key store (or, with MIXRULE_INSECURE=1, plain-text development mode), as environment. */
    public static Map<String, String> grpcServerEnv(LocalSecrets secrets) {
        if (ChannelSecurity.insecureFromEnv()) {
            return Map.of(ChannelSecurity.INSECURE_ENV, "1");
        }
        return Map.of("QUARKUS_GRPC_SERVER_SSL_KEY_STORE", secrets.keyStore().toAbsolutePath().toString(),
                "QUARKUS_GRPC_SERVER_SSL_KEY_STORE_PASSWORD", secrets.storePassword());
    }

    /** Says at start how the stack's channels are protected; a loud warning in plain-text development mode. */
    public void announce() {
        if (ChannelSecurity.insecureFromEnv()) {
            log.println("WARNING: " + ChannelSecurity.INSECURE_ENV + " is set: PLAIN-TEXT DEVELOPMENT MODE, gRPC is not "
                    + "encrypted; unset it for TLS (the default)");
        } else {
            log.println("  gRPC over TLS (local CA " + config.runDir().resolve("secrets/ca.pem") + "); Redis through ACL users");
        }
    }

    /** The URL without its password, for messages. */
    static String redact(String url) {
        return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }
}
