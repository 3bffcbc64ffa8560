package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * One Redis pub/sub subscription to the changes channel, on its own thread and connection,
 * reconnecting after errors. Each message is the written entry (protobuf), published inside the
 * write's transaction, so the order per genome is the order of the writes; entries are handed on one
 * message at a time. A repeat of the version last handed on for a genome is dropped.
 */
public final class ChangeSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeSubscription.class.getName());

    private final URI redis;
    private final String channel;
    private final Consumer<LeaderboardEntry> onChange;
    private final Runnable onConnected;
    private final Thread thread;
    private volatile boolean closed;
    private volatile BinaryJedisPubSub current;
    private volatile boolean connected;
    /** Last version handed on per key (bounded), to drop repeats of the same version. */
    private final Map<String, Version> lastSent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Version> eldest) {
            return size() > 10_000;
        }
    };

    ChangeSubscription(URI redis, String channel, Consumer<LeaderboardEntry> onChange, Runnable onConnected) {
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
                BinaryJedisPubSub sub = new BinaryJedisPubSub() {
                    @Override
                    public void onSubscribe(byte[] ch, int count) {
                        connected = true;
                        lastSent.clear();
                        onConnected.run();
                    }

                    @Override
                    public void onMessage(byte[] ch, byte[] entry) {
                        deliver(entry);
                    }
                };
                current = sub;
                if (closed) {
                    return;
                }
                j.subscribe(sub, channel.getBytes(StandardCharsets.UTF_8));
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

    private void deliver(byte[] raw) {
        String key = "?";
        try {
            LeaderboardEntry e = EntryCodec.parse(raw);
            key = e.getDataset() + "/" + e.getGenomeId();
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
        BinaryJedisPubSub sub = current;
        if (sub != null && sub.isSubscribed()) {
            sub.unsubscribe();
        }
        thread.interrupt();
    }
}
