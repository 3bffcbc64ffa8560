package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.search.Pareto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Non-dominated sorting kept up to date one point at a time. Layer 0 is the Pareto front; a point's
 * layer is the length of the longest chain of points dominating it (layer(q) = 1 + max layer of its
 * dominators), which is what peeling fronts off one after another gives.
 *
 * <p>Points are oriented so that larger is better in every coordinate (see {@link MetricSet#orient}).
 * Dominance is the kernel's {@link Pareto#dominates}: p dominates q when p is at least as good everywhere and better somewhere; equal points do not
 * dominate each other and share a layer.
 *
 * <p>Facts the updates rest on: (1) if layer i holds a dominator of p, so does every layer below i,
 * and no layer above the first one without a dominator holds one, so the layer of a new point is found
 * by binary search over layers; (2) inserting or removing one point moves any other point by at most
 * one layer, and only points dominated by it can move, each step of the cascade being caused by a
 * point that moved in the layer just before. Cost of one insert or removal: O(log L) layer reads for
 * the search plus, for every layer j the cascade reaches, |layer j| x |points moved out of layer j-1|
 * comparisons (d coordinates each); the cascade stops at the first layer where nothing moves. Points
 * that p does not dominate are never read beyond the layers searched. An update is a removal and an insert.
 */
public final class ParetoLayers {
    /** Read access to the stored layers; the store answers from Redis, tests from memory. */
    public interface Source {
        /** How many layers there are (the highest layer index plus one); 0 when empty. */
        int layerCount();

        /** The points of layer i, id to oriented coordinates. */
        Map<String, double[]> layer(int i);
    }

    /** The layers read do not agree with each other: read while another writer changed them. */
    public static final class InconsistentLayersException extends IllegalStateException {
        public InconsistentLayersException(String message) {
            super(message);
        }
    }

    private final Source source;
    private final Map<Integer, Map<String, double[]>> loaded = new HashMap<>();
    private final Map<String, Integer> changed = new LinkedHashMap<>(); // id -> new layer, -1 = removed
    private int count;

    public ParetoLayers(Source source) {
        this.source = source;
        this.count = source.layerCount();
    }

    /** Ids whose layer changed, with their new layer; -1 for a removed point. */
    public Map<String, Integer> changes() {
        return changed;
    }

    public int layerCount() {
        return count;
    }

    /** Layers read from the source so far (what one update cost). */
    public int layersRead() {
        return loaded.size();
    }

    private Map<String, double[]> layer(int i) {
        return loaded.computeIfAbsent(i, k -> k >= count ? new LinkedHashMap<>() : new LinkedHashMap<>(source.layer(k)));
    }

    private static boolean anyDominates(Iterable<double[]> ps, double[] q) {
        for (double[] p : ps) {
            if (Pareto.dominates(p, q)) {
                return true;
            }
        }
        return false;
    }

    /** Inserts a point that is not stored yet; returns its layer. */
    public int insert(String id, double[] p) {
        int lo = 0;
        int hi = count; // layer `count` is empty, so it never holds a dominator
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (anyDominates(layer(mid).values(), p)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int at = lo;
        Map<String, double[]> moving = new LinkedHashMap<>(Map.of(id, p));
        for (int j = at; !moving.isEmpty(); j++) {
            Map<String, double[]> here = layer(j);
            Map<String, double[]> pushed = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> q : here.entrySet()) {
                if (anyDominates(moving.values(), q.getValue())) {
                    pushed.put(q.getKey(), q.getValue());
                }
            }
            pushed.keySet().forEach(here::remove);
            here.putAll(moving);
            for (String k : moving.keySet()) {
                changed.put(k, j);
            }
            count = Math.max(count, j + 1);
            moving = pushed;
        }
        return at;
    }

    /** Removes a stored point from its layer. */
    public void remove(String id, int at) {
        Map<String, double[]> home = layer(at);
        double[] p = home.remove(id);
        if (p == null) {
            throw new InconsistentLayersException("point " + id + " is not in layer " + at);
        }
        changed.put(id, -1);
        Map<String, double[]> left = new LinkedHashMap<>(Map.of(id, p)); // what left layer j-1
        for (int j = at + 1; j < count && !left.isEmpty(); j++) {
            Map<String, double[]> above = layer(j - 1);
            Map<String, double[]> here = layer(j);
            Map<String, double[]> up = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> q : here.entrySet()) {
                // candidates from this layer never dominate each other, so `above` may already hold some
                if (anyDominates(left.values(), q.getValue()) && !anyDominates(above.values(), q.getValue())) {
                    up.put(q.getKey(), q.getValue());
                }
            }
            up.keySet().forEach(here::remove);
            above.putAll(up);
            for (String k : up.keySet()) {
                changed.put(k, j - 1);
            }
            left = up;
        }
        while (count > 0 && layer(count - 1).isEmpty()) {
            count--; // layers never open a gap: an emptied layer can only be the last one
        }
    }

    /** Non-dominated sort of a whole set from scratch (kernel {@link Pareto#ranks}): for rebuilds, tests and small ad-hoc sets. */
    public static Map<String, Integer> sort(Map<String, double[]> points) {
        List<String> ids = new ArrayList<>(points.keySet());
        int[] ranks = Pareto.ranks(ids.stream().map(points::get).toList());
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < ranks.length; i++) {
            out.put(ids.get(i), ranks[i]);
        }
        return out;
    }
}
