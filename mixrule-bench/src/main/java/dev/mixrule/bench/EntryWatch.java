package dev.mixrule.bench;

import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.proto.LeaderboardEntry;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The pipeline bench's Watch: when each candidate was proposed and when its complete entry reached the leaderboard. */
final class EntryWatch implements StreamObserver<LeaderboardEntry> {
    private final Map<String, long[]> seen = new ConcurrentHashMap<>(); // genome id -> {proposed at, on the leaderboard at}
    private final AtomicLong lastEntryAt = new AtomicLong();
    private final PrintStream log;

    EntryWatch(PrintStream log) {
        this.log = log;
    }

    @Override
    public void onNext(LeaderboardEntry e) {
        if (e.containsMetrics(Metric.TEST_ACCURACY.key()) && e.hasTraining() && e.getProposedAtMs() > 0) {
            long now = System.currentTimeMillis();
            if (seen.putIfAbsent(e.getGenomeId(), new long[] {e.getProposedAtMs(), now}) == null) {
                lastEntryAt.accumulateAndGet(now, Math::max);
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        log.println("watch ended: " + t.getMessage());
    }

    @Override
    public void onCompleted() {}

    int size() {
        return seen.size();
    }

    /** Sorted proposal-to-entry latencies (ms) after the warm-up, how many were left out, and the steady-state rate's terms. */
    record Figures(long[] latencies, int skipped, long countedAfter, double seconds) {}

    /**
     * Steady state: candidates proposed after the first `warmup` (at most half), counted over the time from the
     * warm-up's last entry (or t0 without one) to the last entry.
     */
    Figures figures(int warmup, long t0) {
        List<long[]> byProposal = new ArrayList<>(seen.values());
        byProposal.sort(Comparator.comparingLong(a -> a[0]));
        int skip = Math.min(warmup, byProposal.size() / 2);
        List<long[]> measured = byProposal.subList(skip, byProposal.size());
        long from = skip == 0 ? t0 : byProposal.subList(0, skip).stream().mapToLong(a -> a[1]).max().orElse(t0);
        long[] l = measured.stream().mapToLong(a -> a[1] - a[0]).sorted().toArray();
        long countedAfter = measured.stream().filter(a -> a[1] > from).count();
        return new Figures(l, skip, countedAfter, (lastEntryAt.get() - from) / 1000.0);
    }
}
