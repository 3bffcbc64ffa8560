package dev.mixrule.cli.stack;

import redis.embedded.RedisServer;

/** Runs the Redis binary bundled in embedded-redis until killed: the last-resort Redis of the local stack. */
public final class EmbeddedRedisMain {
    private EmbeddedRedisMain() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6379;
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception ignored) {
                // exiting
            }
        }));
        System.out.println("embedded redis listening on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
