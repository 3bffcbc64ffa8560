package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Top responses by request, valid until the next change of their dataset. Changes are learnt from the
 * change subscription, so the cache is used only while that subscription is connected ({@code live}),
 * and a reconnect empties it (announcements made while disconnected are lost). A response read from
 * Redis is kept only if no change of its dataset was announced since the read began, so an answer is
 * at most as stale as the pub/sub delay (well under a millisecond on one network).
 */
public final class TopCache {
    private record Cached(long version, TopResponse response) {}

    private final ConcurrentHashMap<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TopRequest, Cached> responses = new ConcurrentHashMap<>();
    private final int capacity;
    private final BooleanSupplier live;

    public TopCache(int capacity, BooleanSupplier live) {
        this.capacity = capacity;
        this.live = live;
    }

    /** Take before reading Redis; hand to {@link #put}. */
    public long version(String dataset) {
        return versions.computeIfAbsent(dataset, d -> new AtomicLong()).get();
    }

    public TopResponse get(TopRequest request) {
        if (capacity == 0 || !live.getAsBoolean()) {
            return null;
        }
        Cached c = responses.get(request);
        return c != null && c.version() == version(request.getDataset()) ? c.response() : null;
    }

    public void put(TopRequest request, long version, TopResponse response) {
        if (capacity == 0 || !live.getAsBoolean() || version(request.getDataset()) != version) {
            return;
        }
        if (responses.size() >= capacity) {
            responses.clear(); // bounded; the popular pages come straight back
        }
        responses.put(request, new Cached(version, response));
    }

    /** An entry of this dataset changed. */
    public void changed(String dataset) {
        versions.computeIfAbsent(dataset, d -> new AtomicLong()).incrementAndGet();
    }

    /** The subscription (re)connected: whatever was announced meanwhile is unknown. */
    public void reset() {
        versions.values().forEach(AtomicLong::incrementAndGet);
        responses.clear();
    }
}
