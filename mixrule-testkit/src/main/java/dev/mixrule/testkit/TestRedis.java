package dev.mixrule.testkit;

import dev.mixrule.kernel.security.RedisUsers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * Redis for tests: the one at 127.0.0.1:6379 when it answers (or REDIS_URL), else an embedded
 * Redis on a free port, started once per JVM. Tests isolate themselves with a key prefix.
 */
public final class TestRedis {
    private static String url;

    private TestRedis() {}

    public static synchronized String url() {
        if (url != null) {
            return url;
        }
        String env = System.getenv("REDIS_URL");
        if (env != null && !env.isBlank()) {
            return url = env;
        }
        if (reachable("127.0.0.1", 6379)) {
            return url = "redis://127.0.0.1:6379";
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }, "test-redis-stop"));
            return url = "redis://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new IllegalStateException("no Redis at 127.0.0.1:6379 and the embedded one failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Creates (or resets) a service's Redis ACL user for a key prefix with a random password, as the test Redis's
     * default user, and returns the URL to connect as it: tests run with the same limits as the services.
     */
    public static String userUrl(String role, String prefix) {
        String password = UUID.randomUUID().toString().replace("-", "");
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(URI.create(url()))) {
            j.aclSetUser(RedisUsers.user(role, prefix), RedisUsers.rules(role, prefix, password).toArray(String[]::new));
        }
        return RedisUsers.url(url(), role, prefix, password);
    }

    /** Deletes a user userUrl made (tests clean up after themselves on a shared Redis). */
    public static void dropUser(String role, String prefix) {
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(URI.create(url()))) {
            j.aclDelUser(RedisUsers.user(role, prefix));
        }
    }

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
