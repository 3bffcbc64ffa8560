package dev.mixrule.kernel.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-fidelity early stopping over learning curves (a value per completed epoch, higher is better, e.g.
 * validation accuracy). {@link #report} records one point and says whether the candidate should stop now.
 * Plain state, one experiment each, not thread-safe; rebuilt after a restart by replaying the curves.
 *
 * <ul>
 *   <li>{@code median}: the median stopping rule (Golovin et al. 2017, Google Vizier): after {@code grace}
 *       epochs, stop a candidate whose best value so far is below the median of the other candidates' best
 *       values up to the same epoch, once at least {@code minSamples} others reached that epoch.</li>
 *   <li>{@code halving}: asynchronous successive halving (ASHA, Li et al. 2020): rungs at epochs
 *       grace * eta^k; a candidate reaching a rung goes on only if its value is in the top 1/eta of all values
 *       seen at that rung so far.</li>
 *   <li>{@code none}: never stops.</li>
 * </ul>
 */
public final class EarlyStopping {
    public static final List<String> NAMES = List.of("none", "median", "halving");

    private final String kind;
    private final int grace;
    private final int minSamples;
    private final int eta;
    private final Map<String, List<Double>> curves = new HashMap<>();

    /**
     * @param kind "none", "median" or "halving"
     * @param grace epochs every candidate trains before it may be stopped (the first rung for halving), >= 1
     * @param minSamples (median) other curves needed at an epoch before the rule applies, >= 1
     * @param eta (halving) reduction factor, >= 2
     */
    public EarlyStopping(String kind, int grace, int minSamples, int eta) {
        if (!NAMES.contains(kind)) {
            throw new IllegalArgumentException("unknown early stopping rule '" + kind + "'; known: " + String.join(", ", NAMES));
        }
        if (grace < 1 || minSamples < 1 || eta < 2) {
            throw new IllegalArgumentException("early stopping needs grace >= 1, min_samples >= 1, eta >= 2; got "
                    + grace + ", " + minSamples + ", " + eta);
        }
        this.kind = kind;
        this.grace = grace;
        this.minSamples = minSamples;
        this.eta = eta;
    }

    public static EarlyStopping none() {
        return new EarlyStopping("none", 1, 1, 2);
    }

    public String kind() {
        return kind;
    }

    /**
     * Records the candidate's value after {@code epoch} (1-based) and says whether it should stop now.
     * Epochs may arrive twice (redelivery); the later value wins.
     */
    public boolean report(String candidate, int epoch, double value) {
        List<Double> curve = curves.computeIfAbsent(candidate, k -> new ArrayList<>());
        while (curve.size() < epoch) {
            curve.add(curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1));
        }
        curve.set(epoch - 1, value);
        return switch (kind) {
            case "median" -> medianSaysStop(candidate, epoch);
            case "halving" -> halvingSaysStop(candidate, epoch, value);
            default -> false;
        };
    }

    private boolean medianSaysStop(String candidate, int epoch) {
        if (epoch < grace) {
            return false;
        }
        List<Double> others = new ArrayList<>();
        curves.forEach((id, c) -> {
            if (!id.equals(candidate) && c.size() >= epoch) {
                others.add(bestUpTo(c, epoch));
            }
        });
        if (others.size() < minSamples) {
            return false;
        }
        others.sort(null);
        int n = others.size();
        double median = n % 2 == 1 ? others.get(n / 2) : (others.get(n / 2 - 1) + others.get(n / 2)) / 2;
        return bestUpTo(curves.get(candidate), epoch) < median;
    }

    private boolean halvingSaysStop(String candidate, int epoch, double value) {
        if (!isRung(epoch)) {
            return false;
        }
        List<Double> atRung = new ArrayList<>();
        curves.forEach((id, c) -> {
            if (c.size() >= epoch) {
                atRung.add(c.get(epoch - 1));
            }
        });
        atRung.sort((a, b) -> Double.compare(b, a));
        int keep = Math.max(1, atRung.size() / eta);
        return value < atRung.get(keep - 1);
    }

    private boolean isRung(int epoch) {
        for (long r = grace; r <= epoch; r *= eta) {
            if (r == epoch) {
                return true;
            }
        }
        return false;
    }

    private static double bestUpTo(List<Double> curve, int epoch) {
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < epoch; i++) {
            if (!Double.isNaN(curve.get(i))) {
                best = Math.max(best, curve.get(i));
            }
        }
        return best;
    }
}
