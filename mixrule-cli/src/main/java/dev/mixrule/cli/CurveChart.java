package dev.mixrule.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * Learning curves drawn in a terminal: a sparkline (one character per value, eight heights) and a small chart of
 * one curve (a row per height step, a column per epoch), in Unicode block characters or, for terminals without
 * UTF-8, plain ASCII. Missing values (NaN) are left blank.
 */
public final class CurveChart {
    static final String BLOCKS = "▁▂▃▄▅▆▇█";
    static final String ASCII = "_.-:=+*#";

    private CurveChart() {}

    /** One character per value, its height the value's place between lo and hi (the middle when lo == hi). */
    public static String sparkline(double[] values, double lo, double hi, boolean unicode) {
        String ramp = unicode ? BLOCKS : ASCII;
        StringBuilder sb = new StringBuilder(values.length);
        for (double v : values) {
            sb.append(Double.isNaN(v) ? ' ' : ramp.charAt(level(v, lo, hi, ramp.length())));
        }
        return sb.toString();
    }

    /** Which of n steps v falls on between lo and hi, 0..n-1. */
    static int level(double v, double lo, double hi, int n) {
        if (!(hi > lo)) {
            return n / 2;
        }
        int l = (int) Math.round((v - lo) / (hi - lo) * (n - 1));
        return Math.max(0, Math.min(n - 1, l));
    }

    /** The running best of the values in order (NaN ones skipped; NaN until the first value). */
    public static double[] bestSoFar(double[] values, boolean maximize) {
        double[] out = new double[values.length];
        double best = Double.NaN;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isNaN(v) && (Double.isNaN(best) || (maximize ? v > best : v < best))) {
                best = v;
            }
            out[i] = best;
        }
        return out;
    }

    /** At most width values: the last of each of width equal runs (for a running best, its value at that point). */
    public static double[] lastOfEach(double[] values, int width) {
        if (values.length <= width) {
            return values.clone();
        }
        double[] out = new double[width];
        for (int i = 0; i < width; i++) {
            out[i] = values[(int) ((long) (i + 1) * values.length / width) - 1];
        }
        return out;
    }

    /** The smallest and largest of the values that are not NaN; {NaN, NaN} when there are none. */
    public static double[] range(double[] values) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        return finite.length == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {Arrays.stream(finite).min().getAsDouble(), Arrays.stream(finite).max().getAsDouble()};
    }

    /**
     * A chart of one curve, height rows tall: the value axis on the left (top, middle and bottom labelled), a point
     * per epoch three columns apart, and the epochs below.
     */
    public static String chart(double[] values, int height, boolean unicode) {
        double[] r = range(values);
        char point = unicode ? '●' : '*';
        StringBuilder sb = new StringBuilder();
        for (int row = height - 1; row >= 0; row--) {
            boolean labelled = row == height - 1 || row == 0 || row == (height - 1) / 2;
            String label = labelled ? fmt(r[0] + (r[1] - r[0]) * row / (height - 1)) : ""; // the value the row stands for
            sb.append(String.format(Locale.ROOT, "%8s %c", label, unicode ? '┤' : '|'));
            for (double v : values) {
                boolean here = !Double.isNaN(v) && level(v, r[0], r[1], height) == row;
                sb.append("  ").append(here ? point : ' ');
            }
            sb.append('\n');
        }
        sb.append(" ".repeat(9)).append(unicode ? '└' : '+').append((unicode ? "───" : "---").repeat(values.length)).append('\n');
        sb.append(" ".repeat(10));
        for (int e = 1; e <= values.length; e++) {
            sb.append(String.format(Locale.ROOT, "%3d", e));
        }
        return sb.append("  epoch\n").toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
