package dev.mixrule.leaderboard.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writers of one dataset's Pareto layers take turns within this process. Every such write WATCHes the same few
 * keys, so concurrent ones fail each other's EXEC: with eight ingest workers the retries grew until writes gave up
 * after 200 attempts. Between replicas WATCH still decides; a turn only spares a replica from racing itself.
 */
final class ParetoTurns {
    private final Map<String, ReentrantLock> byDataset = new ConcurrentHashMap<>();

    Turn turn() {
        return new Turn();
    }

    /** One write's turn: taken before the layers are read, released after EXEC (or when the write gives up). */
    final class Turn implements AutoCloseable {
        private ReentrantLock held;

        /** Waits for the dataset's turn; nothing for null (a write that leaves the layers alone). */
        void take(String dataset) {
            if (dataset != null && held == null) {
                held = byDataset.computeIfAbsent(dataset, d -> new ReentrantLock());
                held.lock();
            }
        }

        void release() {
            if (held != null) {
                held.unlock();
                held = null;
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
