package dev.mixrule.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
