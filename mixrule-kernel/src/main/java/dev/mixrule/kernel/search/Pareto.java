package dev.mixrule.kernel.search;

import java.util.ArrayList;
import java.util.List;

/** Non-dominated sorting (larger is better in every coordinate) and the 2-D hypervolume. */
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

    /** Front index of every point: 0 = non-dominated. */
    public static int[] ranks(List<double[]> points) {
        int n = points.size();
        int[] rank = new int[n];
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && dominates(points.get(i), points.get(j))) {
                    dominates.get(i).add(j);
                } else if (i != j && dominates(points.get(j), points.get(i))) {
                    dominatedBy[i]++;
                }
            }
        }
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                front.add(i);
            }
        }
        int r = 0;
        while (!front.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            for (int i : front) {
                rank[i] = r;
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            front = next;
            r++;
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
