package dev.mixrule.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import redis.clients.jedis.Jedis;

/** CPU seconds spent by the server, Redis and this client: on a shared machine, what each query costs is steadier than the rates. */
record Cpu(double server, double redis, double client) {
    Cpu minus(Cpu o) {
        return new Cpu(server - o.server, redis - o.redis, client - o.client);
    }

    /** The CPU seconds so far of the server process (NaN when none was started here), of Redis and of this JVM. */
    static Cpu now(Process server, String redisUrl) {
        double s = server == null ? Double.NaN : seconds(server.toHandle(), Double.NaN);
        double r = 0;
        for (String line : RedisInfo.lines(redisUrl, "cpu")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                r += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        double c = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        return new Cpu(s, r, c);
    }

    /** A process's CPU seconds so far, or {@code unknown} when the OS does not say. */
    static double seconds(ProcessHandle process, double unknown) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(unknown);
    }

    /** Redis INFO, one section, as lines. */
    static final class RedisInfo {
        private RedisInfo() {}

        static String[] lines(String redisUrl, String section) {
            try (Jedis j = new Jedis(URI.create(redisUrl))) {
                return j.info(section).split("\r?\n");
            }
        }

        /** Redis's used_memory in bytes (0 if it does not say). */
        static long usedMemory(String redisUrl) {
            for (String line : lines(redisUrl, "memory")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            return 0;
        }
    }
}
