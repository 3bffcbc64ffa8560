package dev.mixrule.leaderboard;

import dev.mixrule.proto.LeaderboardEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Fans every changed entry out to the open Watch streams of this replica, in the order applied. */
@ApplicationScoped
public class ChangeFeed {
    private final CopyOnWriteArrayList<Consumer<LeaderboardEntry>> listeners = new CopyOnWriteArrayList<>();

    public Runnable subscribe(Consumer<LeaderboardEntry> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public synchronized void publish(LeaderboardEntry entry) {
        for (Consumer<LeaderboardEntry> l : listeners) {
            try {
                l.accept(entry);
            } catch (RuntimeException e) {
                listeners.remove(l); // a broken stream must not stop the others
            }
        }
    }
}
