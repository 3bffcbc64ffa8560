package dev.mixrule.kernel.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParetoTest {
    @Test
    void frontKeepsWhatNothingDominatesAndEqualPointsTogether() {
        List<double[]> pts = List.of(new double[] {0.9, 0.1}, new double[] {0.8, 0.3}, new double[] {0.7, 0.2},
                new double[] {0.9, 0.05}, new double[] {0.8, 0.3});
        assertEquals(List.of(0, 1, 4), Pareto.front(pts));
    }

    @Test
    void ranksAreTheFrontsPeeledOneAfterAnother() {
        Random r = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                // few distinct values, so ties and equal points are common
                pts.add(new double[] {r.nextInt(6), r.nextInt(6), r.nextInt(3)});
            }
            assertArrayEquals(peeled(pts), Pareto.ranks(pts));
        }
    }

    /** Brute force: a point's layer is the first pass in which nothing left dominates it. */
    private static int[] peeled(List<double[]> pts) {
        int[] rank = new int[pts.size()];
        java.util.Arrays.fill(rank, -1);
        for (int layer = 0, done = 0; done < pts.size(); layer++) {
            List<Integer> now = new ArrayList<>();
            for (int i = 0; i < pts.size(); i++) {
                if (rank[i] >= 0) {
                    continue;
                }
                boolean dominated = false;
                for (int j = 0; j < pts.size() && !dominated; j++) {
                    dominated = rank[j] < 0 && Pareto.dominates(pts.get(j), pts.get(i));
                }
                if (!dominated) {
                    now.add(i);
                }
            }
            for (int i : now) {
                rank[i] = layer;
            }
            done += now.size();
        }
        return rank;
    }
}
