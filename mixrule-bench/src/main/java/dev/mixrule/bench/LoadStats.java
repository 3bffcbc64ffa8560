package dev.mixrule.bench;

import com.google.gson.JsonObject;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** A closed-loop load run: calls, wall seconds, sorted latencies and (once measured) the CPU it cost. */
record LoadStats(long calls, double seconds, long[] sortedNanos, Cpu cpu) {
    LoadStats(long calls, double seconds, long[] sortedNanos) {
        this(calls, seconds, sortedNanos, null);
    }

    LoadStats withCpu(Cpu c) {
        return new LoadStats(calls, seconds, sortedNanos, c);
    }

    /** Microseconds of CPU per query: server, Redis, client. */
    String cpuPerQuery() {
        return cpu == null ? "" : String.format(Locale.ROOT, "; CPU per query: server %.0f us, Redis %.0f us, client %.0f us",
                1e6 * cpu.server() / calls, 1e6 * cpu.redis() / calls, 1e6 * cpu.client() / calls);
    }

    double percentileMs(double p) {
        return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
    }

    double qps() {
        return calls / seconds;
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("calls", calls);
        o.addProperty("queries_per_second", qps());
        o.addProperty("p50_ms", percentileMs(0.50));
        o.addProperty("p99_ms", percentileMs(0.99));
        o.addProperty("max_ms", sortedNanos[sortedNanos.length - 1] / 1e6);
        if (cpu != null) {
            o.addProperty("server_cpu_us_per_query", 1e6 * cpu.server() / calls);
            o.addProperty("redis_cpu_us_per_query", 1e6 * cpu.redis() / calls);
            o.addProperty("client_cpu_us_per_query", 1e6 * cpu.client() / calls);
        }
        return o;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,.0f queries/s, p50 %.3f ms, p99 %.3f ms, max %.1f ms (%,d calls)%s", qps(),
                percentileMs(0.5), percentileMs(0.99), sortedNanos[sortedNanos.length - 1] / 1e6, calls, cpuPerQuery());
    }

    /** One call of the measured kind on a channel. */
    interface Call {
        void run(Channel ch);
    }

    /** `total` calls from `concurrency` threads, closed loop (each sends its next call when the last returns). */
    static LoadStats run(List<ManagedChannel> channels, int concurrency, int total, Call call) throws Exception {
        long[] nanos = new long[total];
        AtomicLong next = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                Channel ch = channels.get(t % channels.size());
                done.add(pool.submit(() -> {
                    start.await();
                    for (long i; (i = next.getAndIncrement()) < total; ) {
                        long s = System.nanoTime();
                        call.run(ch);
                        nanos[(int) i] = System.nanoTime() - s;
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(nanos);
            return new LoadStats(total, seconds, nanos);
        } finally {
            pool.shutdownNow();
        }
    }
}
