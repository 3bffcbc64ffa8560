package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * One Redis pub/sub subscription to the changes channel, on its own thread and connection,
 * reconnecting after errors. Each message is an entry key; the entry is read and handed on, one
 * message at a time, so the order per genome is the order of the writes (and a read never returns
 * an older version than the one announced). When two announcements of one genome arrive before the
 * first is read, both reads return the newer version: it is handed on once.
 */
public final class ChangeSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeSubscription.class.getName());

    private final LeaderboardStore store;
    private final URI redis;
    private final String channel;
    private final Consumer<LeaderboardEntry> onChange;
    private final Runnable onConnected;
    private final Thread thread;
    private volatile boolean closed;
    private volatile JedisPubSub current;
    private volatile boolean connected;
    /** Last version handed on per key (bounded), to drop repeats of the same version. */
    private final Map<String, Version> lastSent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Version> eldest) {
            return size() > 10_000;
        }
    };

    ChangeSubscription(LeaderboardStore store, URI redis, String channel, Consumer<LeaderboardEntry> onChange, Runnable onConnected) {
        this.store = store;
        this.redis = redis;
        this.channel = channel;
        this.onChange = onChange;
        this.onConnected = onConnected;
        this.thread = new Thread(this::loop, "leaderboard-changes");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the subscription is live now (notifications are flowing). */
    public boolean connected() {
        return connected;
    }

    /** Waits until subscribed; returns false on timeout. */
    public boolean awaitConnected(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!connected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return connected;
    }

    private void loop() {
        while (!closed) {
            try (Jedis j = new Jedis(redis)) {
                JedisPubSub sub = new JedisPubSub() {
                    @Override
                    public void onSubscribe(String ch, int count) {
                        connected = true;
                        lastSent.clear();
                        onConnected.run();
                    }

                    @Override
                    public void onMessage(String ch, String key) {
                        deliver(key);
                    }
                };
                current = sub;
                if (closed) {
                    return;
                }
                j.subscribe(sub, channel);
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "leaderboard change subscription lost, resubscribing in 1 s: " + e.getMessage());
                }
            } finally {
                connected = false;
            }
            if (!closed) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private record Version(long updatedAtMs, int hash) {}

    private void deliver(String key) {
        try {
            LeaderboardEntry e = store.getByKey(key);
            if (e == null) {
                return;
            }
            Version v = new Version(e.getUpdatedAtMs(), e.hashCode());
            if (v.equals(lastSent.get(key))) {
                return;
            }
            lastSent.put(key, v);
            onChange.accept(e);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not hand on the change of " + key + ": " + ex.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        JedisPubSub sub = current;
        if (sub != null && sub.isSubscribed()) {
            sub.unsubscribe();
        }
        thread.interrupt();
    }
}
