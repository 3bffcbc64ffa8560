package dev.mixrule.leaderboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParetoLayersTest {
    /** Layers held in memory, written back from each update's changes as the store writes them to Redis. */
    static final class MemoryLayers implements ParetoLayers.Source {
        final Map<String, double[]> points = new HashMap<>();
        final Map<String, Integer> layerOf = new HashMap<>();

        @Override
        public int layerCount() {
            return layerOf.values().stream().mapToInt(i -> i + 1).max().orElse(0);
        }

        @Override
        public Map<String, double[]> layer(int i) {
            Map<String, double[]> out = new LinkedHashMap<>();
            layerOf.forEach((id, l) -> {
                if (l == i) {
                    out.put(id, points.get(id));
                }
            });
            return out;
        }

        ParetoLayers begin() {
            return new ParetoLayers(this);
        }

        void commit(ParetoLayers u, String id, double[] p) {
            u.changes().forEach((k, l) -> {
                if (l < 0) {
                    layerOf.remove(k);
                } else {
                    layerOf.put(k, l);
                }
            });
            if (p == null) {
                points.remove(id);
            } else {
                points.put(id, p);
            }
        }

        void put(String id, double[] p) {
            ParetoLayers u = begin();
            if (layerOf.containsKey(id)) {
                u.remove(id, layerOf.get(id));
            }
            u.insert(id, p);
            commit(u, id, p);
        }

        void delete(String id) {
            ParetoLayers u = begin();
            u.remove(id, layerOf.get(id));
            commit(u, id, null);
        }
    }

    static double[] point(Random r, int dims, int grid) {
        double[] p = new double[dims];
        for (int i = 0; i < dims; i++) {
            p[i] = grid > 0 ? r.nextInt(grid) : r.nextDouble(); // a small grid makes ties and equal points common
        }
        return p;
    }

    @Test
    void incrementalLayersMatchABruteForceSortAfterEveryInsertUpdateAndRemoval() {
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            int dims = 2 + (int) (seed % 3);
            int grid = seed % 4 == 0 ? 0 : 3 + r.nextInt(8);
            MemoryLayers m = new MemoryLayers();
            List<String> ids = new ArrayList<>();
            for (int op = 0; op < 120; op++) {
                int kind = ids.isEmpty() ? 0 : r.nextInt(10);
                if (kind < 5) {
                    String id = "g" + op;
                    ids.add(id);
                    m.put(id, point(r, dims, grid));
                } else if (kind < 8) {
                    m.put(ids.get(r.nextInt(ids.size())), point(r, dims, grid));
                } else {
                    m.delete(ids.remove(r.nextInt(ids.size())));
                }
                assertEquals(ParetoLayers.sort(m.points), m.layerOf, "seed " + seed + ", operation " + op);
            }
        }
    }

    @Test
    void aPointThatDominatesTheFrontPushesEveryLayerDownByOne() {
        MemoryLayers m = new MemoryLayers();
        m.put("a", new double[] {0.5, 0.5});
        m.put("b", new double[] {0.4, 0.4});
        m.put("c", new double[] {0.9, 0.1});
        assertEquals(Map.of("a", 0, "b", 1, "c", 0), m.layerOf);
        m.put("d", new double[] {0.6, 0.6});
        assertEquals(Map.of("d", 0, "a", 1, "b", 2, "c", 0), m.layerOf);
        m.put("d", new double[] {0.1, 0.1}); // d falls behind everything: the others move back up
        assertEquals(Map.of("a", 0, "b", 1, "c", 0, "d", 2), m.layerOf);
    }

    @Test
    void insertionReadsOnlyTheLayersItSearchesAndCascadesThrough() {
        MemoryLayers m = new MemoryLayers();
        for (int i = 0; i < 64; i++) {
            m.put("p" + i, new double[] {i, i}); // a chain: 64 layers of one point
        }
        ParetoLayers u = m.begin();
        assertEquals(64, u.layerCount());
        u.insert("x", new double[] {1000, -1}); // dominates nothing, dominated by nothing
        assertEquals(0, u.changes().get("x"));
        assertEquals(Map.of("x", 0), u.changes());
        assertTrue(u.layersRead() <= 8, "binary search over 64 layers reads about log2(64) of them, read " + u.layersRead());
    }

    @Test
    void metricSetsAreCanonicalAndOrientMinimisedMetrics() {
        MetricSet s = MetricSet.parse("test_accuracy,-parameters");
        assertEquals("-parameters,+test_accuracy", s.key());
        assertEquals(s, MetricSet.parse("-parameters,+test_accuracy"));
        double[] p = s.orient(Map.of("test_accuracy", 0.9, "parameters", 100.0));
        assertEquals(-100.0, p[0]);
        assertEquals(0.9, p[1]);
        assertEquals(null, s.orient(Map.of("test_accuracy", 0.9)));
    }
}
