package dev.mixrule.bench;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Mean, sample standard deviation and the two-sided 95% confidence interval of the mean (Student's t
 * with n - 1 degrees of freedom) of a few measurements, e.g. one per seed.
 */
record Interval(int n, double mean, double sd, double halfWidth) {
    /** t_{0.975, df} for df = 1..30; beyond, 1.96. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    static Interval of(List<Double> xs) {
        int n = xs.size();
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (n < 2) {
            return new Interval(n, mean, Double.NaN, Double.NaN);
        }
        double ss = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        double sd = Math.sqrt(ss / (n - 1));
        double t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
        return new Interval(n, mean, sd, t * sd / Math.sqrt(n));
    }

    double low() {
        return mean - halfWidth;
    }

    double high() {
        return mean + halfWidth;
    }

    /** "0.8123 ± 0.0041 (n=5)"; the ± is the 95% CI half-width. */
    String text(int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f (n=%d)", mean, halfWidth, n);
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("n", n);
        o.addProperty("mean", mean);
        o.addProperty("sd", sd);
        o.addProperty("ci95_low", low());
        o.addProperty("ci95_high", high());
        return o;
    }
}
