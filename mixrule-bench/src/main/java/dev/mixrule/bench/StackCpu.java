package dev.mixrule.bench;

import com.google.gson.JsonObject;
import dev.mixrule.cli.stack.LocalStack;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU seconds so far of every process of a local stack (with its children) and of Redis (its INFO; a Redis
 * shared with other work counts theirs too): the difference of two snapshots says where a pipeline run's time
 * went, which on a shared machine is steadier than the rates.
 */
record StackCpu(long atMs, Map<String, Double> seconds) {
    static StackCpu now(LocalStack stack) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : stack.processNames()) {
            if (!name.equals(LocalStack.REDIS)) {
                stack.process(name).running().ifPresent(h -> out.put(name, Cpu.seconds(h, 0)
                        + h.descendants().mapToDouble(d -> Cpu.seconds(d, 0)).sum()));
            }
        }
        Cpu redisAndUs = Cpu.now(null, stack.redisUrl());
        out.put(LocalStack.REDIS, redisAndUs.redis());
        out.put("bench-client", redisAndUs.client());
        return new StackCpu(System.currentTimeMillis(), out);
    }

    /** What each process spent between an earlier snapshot and this one (processes in both). */
    StackCpu minus(StackCpu earlier) {
        Map<String, Double> out = new LinkedHashMap<>();
        seconds.forEach((name, s) -> {
            Double before = earlier.seconds.get(name);
            if (before != null) {
                out.put(name, s - before);
            }
        });
        return new StackCpu(atMs - earlier.atMs, out);
    }

    double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** For a difference: per process its CPU seconds, cores used on average, and CPU ms per candidate completed meanwhile. */
    JsonObject json(long candidates) {
        JsonObject out = new JsonObject();
        out.addProperty("window_seconds", atMs / 1000.0);
        out.addProperty("candidates", candidates);
        out.addProperty("total_cpu_seconds", total());
        JsonObject each = new JsonObject();
        seconds.forEach((name, s) -> {
            JsonObject p = new JsonObject();
            p.addProperty("cpu_seconds", s);
            p.addProperty("cores", s * 1000.0 / Math.max(1, atMs));
            p.addProperty("cpu_ms_per_candidate", candidates == 0 ? 0 : s * 1000.0 / candidates);
            each.add(name, p);
        });
        out.add("processes", each);
        return out;
    }

    /** One line per process, largest first. */
    String table(long candidates) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "      CPU over %.1f s, %d candidates (total %.1f s = %.2f cores):%n",
                atMs / 1000.0, candidates, total(), total() * 1000.0 / Math.max(1, atMs)));
        seconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> sb.append(String.format(Locale.ROOT,
                "        %-22s %7.1f s  %5.2f cores  %6.2f ms/candidate%n", e.getKey(), e.getValue(), e.getValue() * 1000.0 / Math.max(1, atMs),
                candidates == 0 ? 0 : e.getValue() * 1000.0 / candidates)));
        return sb.toString();
    }
}
