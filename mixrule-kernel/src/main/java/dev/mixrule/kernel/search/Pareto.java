package dev.mixrule.kernel.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dominance, the front and non-dominated sorting (larger is better in every coordinate), and the 2-D
 * hypervolume: the one implementation (the leaderboard's kept layers and its web front call it).
 */
public final class Pareto {
    private Pareto() {}

    public static boolean dominates(double[] a, double[] b) {
        boolean strictly = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            strictly |= a[i] > b[i];
        }
        return strictly;
    }

    /**
     * Indices of the non-dominated points (the front), ascending. The points are visited best first in
     * lexicographic order, where a dominator always comes before what it dominates, and a dominated point is
     * dominated by some point of the front: so each point is compared with the front found so far only,
     * O(n log n + n |front| d). Equal points do not dominate each other and are all on the front.
     */
    public static List<Integer> front(List<double[]> points) {
        List<Integer> order = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            order.add(i);
        }
        order.sort((i, j) -> Arrays.compare(points.get(j), points.get(i)));
        List<Integer> front = new ArrayList<>();
        for (int i : order) {
            if (!dominatedByAny(points, front, points.get(i))) {
                front.add(i);
            }
        }
        front.sort(null);
        return front;
    }

    private static boolean dominatedByAny(List<double[]> points, List<Integer> by, double[] q) {
        for (int f : by) {
            if (dominates(points.get(f), q)) {
                return true;
            }
        }
        return false;
    }

    /** Front index of every point (0 = non-dominated): the fronts peeled off one after another, O(n) memory. */
    public static int[] ranks(List<double[]> points) {
        int[] rank = new int[points.size()];
        List<Integer> rest = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            rest.add(i);
        }
        for (int r = 0; !rest.isEmpty(); r++) {
            List<Integer> remaining = rest;
            List<Integer> front = front(remaining.stream().map(points::get).toList());
            boolean[] peeled = new boolean[remaining.size()];
            for (int k : front) {
                peeled[k] = true;
                rank[remaining.get(k)] = r;
            }
            List<Integer> next = new ArrayList<>(remaining.size() - front.size());
            for (int k = 0; k < remaining.size(); k++) {
                if (!peeled[k]) {
                    next.add(remaining.get(k));
                }
            }
            rest = next;
        }
        return rank;
    }

    /** Area dominated by the points above the reference point (2 objectives, larger is better). */
    public static double hypervolume2d(List<double[]> points, double[] ref) {
        List<double[]> front = new ArrayList<>();
        int[] r = ranks(points);
        for (int i = 0; i < points.size(); i++) {
            if (r[i] == 0 && points.get(i)[0] > ref[0] && points.get(i)[1] > ref[1]) {
                front.add(points.get(i));
            }
        }
        front.sort((a, b) -> Double.compare(b[0], a[0]));
        double area = 0;
        double prevY = ref[1];
        for (double[] p : front) {
            if (p[1] > prevY) {
                area += (p[0] - ref[0]) * (p[1] - prevY);
                prevY = p[1];
            }
        }
        return area;
    }
}
