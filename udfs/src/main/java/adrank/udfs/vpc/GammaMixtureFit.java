package adrank.udfs.vpc;

import org.apache.commons.numbers.gamma.LogGamma;

/**
 * Maximum-likelihood fit of a Gamma prior {@code Gamma(shape a, rate b)} to grouped
 * (count, exposure) observations whose per-unit rate is Gamma-distributed across units: the
 * marginal (type II) likelihood of empirical Bayes.
 *
 * <p>Two models of this package have the same marginal likelihood in {@code (a, b)}:
 * <ul>
 *   <li><b>Gamma–Poisson</b> (conversions per click): key {@code i} has rate
 *       {@code λ_i ~ Gamma(a, b)} and {@code y_i ~ Poisson(λ_i · n_i)} conversions over
 *       {@code n_i} clicks; marginally {@code y_i} is negative binomial,
 *       {@code P(y_i) = Γ(a + y_i) / (Γ(a) y_i!) · b^a n_i^y_i / (b + n_i)^(a + y_i)};</li>
 *   <li><b>Gamma–exponential</b> (value per conversion): {@code θ_i ~ Gamma(a, b)} and the
 *       {@code y_i} values summing to {@code n_i} micros are exponential with rate {@code θ_i};
 *       marginally {@code n_i} has the density
 *       {@code Γ(a + y_i) / (Γ(a) Γ(y_i)) · b^a n_i^(y_i − 1) / (b + n_i)^(a + y_i)}.</li>
 * </ul>
 * Up to terms free of {@code (a, b)} both log-likelihoods are
 * <pre>
 *   ℓ(a, b) = Σ_i w_i [ ln Γ(a + y_i) − ln Γ(a) + a ln b − (a + y_i) ln(b + n_i) ]
 * </pre>
 * with {@code w_i} the number of units sharing the pair ({@code y_i} counts, {@code n_i}
 * exposure). Every unit weighs by its own information here, which the method of moments cannot
 * do: on segments of one-click keys the moment variance is mostly Poisson noise and its
 * estimate swung from a strength of 30 to the maximum from one day to the next.
 *
 * <p><b>Algorithm.</b> For a fixed shape {@code a} the score in {@code b},
 * {@code Σ w (a/b − (a + y)/(b + n))}, has exactly one root (times {@code b} it falls from
 * {@code a·Σw} at {@code b = 0} to {@code −Σwy} at infinity): found by safeguarded Newton steps on
 * {@code ln b}. The profile
 * {@code ℓ(a, b̂(a))} is then maximised over {@code ln a} by golden-section search on
 * {@code [ln MIN_SHAPE, ln MAX_SHAPE]}. When the maximum sits at {@code MAX_SHAPE} (within a factor of 2) the units'
 * counts show no more spread than the Poisson (or exponential) noise alone: the fit is
 * {@linkplain Fit#degenerate() degenerate} (a prior of unbounded strength), and the caller must
 * not use it as an informative prior.
 *
 * <p>Pure; no state. Cost: about 60 profile evaluations, each a few Newton steps over the pairs
 * and one log-gamma per pair.
 */
public final class GammaMixtureFit {

    /** Smallest shape searched: a prior flatter than this is as good as none. */
    static final double MIN_SHAPE = 1e-3;
    /** Largest shape searched; a fit at this bound is degenerate. */
    static final double MAX_SHAPE = 1e5;
    /** ln(MAX_SHAPE / MIN_SHAPE) · 0.618^60 ≈ 4e-12: converged in ln a. */
    private static final int GOLDEN_ITERATIONS = 60;
    private static final int BISECTIONS = 200;
    private static final double INV_PHI = (Math.sqrt(5) - 1) / 2;

    private GammaMixtureFit() {
    }

    /**
     * A fitted prior.
     *
     * @param shape         {@code a}
     * @param rate          {@code b}, in units of exposure
     * @param logLikelihood {@code ℓ(a, b)} (without the terms free of {@code a, b})
     * @param degenerate    whether the likelihood grows without bound in {@code a}: no detectable
     *                      spread between units
     */
    public record Fit(double shape, double rate, double logLikelihood, boolean degenerate) {

        /** The prior mean {@code a / b}. */
        public double mean() {
            return shape / rate;
        }
    }

    /**
     * Fits the prior to grouped observations.
     *
     * @param counts    {@code y_i >= 0}
     * @param exposures {@code n_i > 0}, finite
     * @param weights   {@code w_i >= 0}, how many units share the pair
     * @return the fit, or null when no unit has a count (a mean of zero has no Gamma prior) or
     *         fewer than two units are given
     * @throws IllegalArgumentException when the arrays differ in length or hold invalid values
     */
    public static Fit fit(long[] counts, double[] exposures, long[] weights) {
        if (counts.length != exposures.length || counts.length != weights.length) {
            throw new IllegalArgumentException("counts, exposures and weights differ in length: "
                    + counts.length + ", " + exposures.length + ", " + weights.length);
        }
        double units = 0;
        double total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0 || weights[i] < 0 || !(exposures[i] > 0) || Double.isInfinite(exposures[i])) {
                throw new IllegalArgumentException("pair " + i + " (count " + counts[i] + ", exposure "
                        + exposures[i] + ", weight " + weights[i] + ") is not a count over a positive exposure");
            }
            units += weights[i];
            total += (double) weights[i] * counts[i];
        }
        if (units < 2 || total == 0) {
            return null;
        }
        double lo = Math.log(MIN_SHAPE);
        double hi = Math.log(MAX_SHAPE);
        double x1 = hi - INV_PHI * (hi - lo);
        double x2 = lo + INV_PHI * (hi - lo);
        double f1 = profile(Math.exp(x1), counts, exposures, weights);
        double f2 = profile(Math.exp(x2), counts, exposures, weights);
        for (int it = 0; it < GOLDEN_ITERATIONS; it++) {
            if (f1 < f2) {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + INV_PHI * (hi - lo);
                f2 = profile(Math.exp(x2), counts, exposures, weights);
            } else {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - INV_PHI * (hi - lo);
                f1 = profile(Math.exp(x1), counts, exposures, weights);
            }
        }
        double shape = Math.exp((lo + hi) / 2);
        double rate = rateFor(shape, counts, exposures, weights);
        double ll = logLikelihood(shape, rate, counts, exposures, weights);
        // the maximum sits at the upper bound (within the rounding of a profile that flattens as 1/a there):
        // no detectable spread
        boolean degenerate = shape >= MAX_SHAPE / 2;
        return new Fit(shape, rate, ll, degenerate);
    }

    /** {@code ℓ(a, b)} as in the class comment. */
    public static double logLikelihood(double a, double b, long[] counts, double[] exposures, long[] weights) {
        double lgA = LogGamma.value(a);
        double lnB = Math.log(b);
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            long y = counts[i];
            double term = logRising(a, y, lgA) + a * lnB - (a + y) * Math.log(b + exposures[i]);
            sum += weights[i] * term;
        }
        return sum;
    }

    /**
     * {@code ln Γ(a + y) − ln Γ(a)}: for small counts the sum {@code Σ_{j<y} ln(a + j)}, which keeps its
     * precision where the two log-gammas are large and nearly equal (large {@code a}).
     */
    private static double logRising(double a, long y, double lgA) {
        if (y > 64) {
            return LogGamma.value(a + y) - lgA;
        }
        double sum = 0;
        for (long j = 0; j < y; j++) {
            sum += Math.log(a + j);
        }
        return sum;
    }

    private static double profile(double a, long[] counts, double[] exposures, long[] weights) {
        return logLikelihood(a, rateFor(a, counts, exposures, weights), counts, exposures, weights);
    }

    /**
     * The {@code b} maximising {@code ℓ(a, ·)}: the root of {@code g(b) = Σ w (a − (a + y)·b/(b + n))},
     * which falls from {@code a·Σw > 0} at 0 to {@code −Σwy < 0} at infinity.
     */
    static double rateFor(double a, long[] counts, double[] exposures, long[] weights) {
        double units = 0;
        double total = 0;
        double exposure = 0;
        for (int i = 0; i < counts.length; i++) {
            units += weights[i];
            total += (double) weights[i] * counts[i];
            exposure += weights[i] * exposures[i];
        }
        // Newton's method on u = ln b from the pooled guess a / (Y / N), kept inside a shrinking bracket
        // (g is decreasing in u) and bisecting whenever a step would leave it
        double lo = Math.log(Double.MIN_NORMAL);
        double hi = Math.log(Double.MAX_VALUE) / 2;
        double u = Math.log(a * exposure / total);
        for (int it = 0; it < BISECTIONS; it++) {
            double b = Math.exp(u);
            double g = 0;
            double slope = 0;
            for (int i = 0; i < counts.length; i++) {
                double share = b / (b + exposures[i]);
                g += weights[i] * (a - (a + counts[i]) * share);
                slope -= weights[i] * (a + counts[i]) * share * (1 - share);
            }
            if (g > 0) {
                lo = u;
            } else {
                hi = u;
            }
            double next = slope < 0 ? u - g / slope : Double.NaN;
            if (!(next > lo && next < hi)) {
                next = (lo + hi) / 2;
            }
            if (Math.abs(next - u) < 1e-12 || hi - lo < 1e-12) {
                return Math.exp(next);
            }
            u = next;
        }
        return Math.exp(u);
    }

    private static double score(double a, double b, long[] counts, double[] exposures, long[] weights) {
        double g = 0;
        for (int i = 0; i < counts.length; i++) {
            g += weights[i] * (a - (a + counts[i]) * (b / (b + exposures[i])));
        }
        return g;
    }
}
