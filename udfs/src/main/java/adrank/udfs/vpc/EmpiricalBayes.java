package adrank.udfs.vpc;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;

/**
 * Empirical-Bayes Beta prior of a parent segment by the method of moments.
 *
 * <p>The keys of a segment are modelled as having conversion rates {@code p_i ~ Beta(α, β)};
 * matching the mean {@code m} and the variance {@code v} of that distribution:
 * <pre>
 *   s = α + β = m·(1 − m) / v − 1,   α = m·s,   β = (1 − m)·s
 * </pre>
 *
 * <p>From observed counters ({@link RateMoments}), the variance of the observed rates
 * {@code r_i = conv_i/clicks_i} is larger than {@code v}: it also contains the binomial noise
 * of each key, {@code E[Var(r_i)] = m(1 − m)/n_i + (1 − 1/n_i)·v}. Averaging over the keys with
 * {@code h = mean(1/n_i)}:
 * <pre>
 *   v = (sampleVariance(r) − m·(1 − m)·h) / (1 − h)
 * </pre>
 * Without this correction a segment of small keys would look far more diverse than it is and
 * get an almost flat prior, exactly where shrinkage matters most. (This is the unweighted
 * moment estimator for the beta-binomial model, cf. Kleinman, Biometrics 29, 1973.)
 *
 * <p>Guards (documented on {@link PriorGuard} and reported in {@link EmpiricalBayesPrior}):
 * <ul>
 *   <li>{@code v <= 0} or {@code s > maxStrength}: variance too small, {@code s = maxStrength};</li>
 *   <li>{@code v >= m(1 − m)}, {@code h = 1} or {@code s < minStrength}: variance too large,
 *       {@code s = minStrength};</li>
 *   <li>then the mean is clamped into {@code [½/s, 1 − ½/s]} so that {@code α, β >= ½}
 *       (Jeffreys' shape): a segment without any conversion still gets a proper prior with a
 *       small, positive mean.</li>
 * </ul>
 */
public final class EmpiricalBayes {

    private static final double MIN_SHAPE = 0.5;

    private EmpiricalBayes() {
    }

    /**
     * The prior from the mean and variance of the segment's true (noise-free) per-key rates.
     *
     * @param mean     mean rate, in [0, 1]
     * @param variance variance of the rates, {@code >= 0}
     * @throws InvalidInputException    if {@code mean} is not in [0, 1] or {@code variance} is
     *                                  negative, NaN or infinite
     * @throws IllegalArgumentException if {@code guard} is null
     */
    public static EmpiricalBayesPrior betaPrior(double mean, double variance, PriorGuard guard) {
        if (!(mean >= 0 && mean <= 1)) {
            throw new InvalidInputException("mean rate (" + mean + ") is not in [0, 1]");
        }
        Inputs.nonNegative("variance", variance);
        requireGuard(guard);
        return fromMoments(mean, variance, guard);
    }

    /**
     * The prior from a segment's accumulated per-key counters, with the binomial noise of each
     * key removed from the variance (see the class comment).
     *
     * @throws InvalidInputException    if the segment has fewer than two keys with clicks
     * @throws IllegalArgumentException if {@code guard} is null
     */
    public static EmpiricalBayesPrior betaPrior(RateMoments segment, PriorGuard guard) {
        requireGuard(guard);
        if (segment == null) {
            throw new IllegalArgumentException("segment moments are null");
        }
        if (segment.keys() < 2) {
            throw new InvalidInputException("segment has " + segment.keys()
                + " key(s) with clicks; the method of moments needs at least 2");
        }
        double m = segment.mean();
        double h = segment.meanInverseClicks();
        if (h >= 1) { // every key has exactly one click: noise and spread cannot be told apart
            return shape(m, guard.minStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        }
        double v = (segment.variance() - m * (1 - m) * h) / (1 - h);
        return fromMoments(m, Math.max(v, 0), guard);
    }

    private static EmpiricalBayesPrior fromMoments(double m, double v, PriorGuard guard) {
        double spread = m * (1 - m); // the largest variance any distribution on [0,1] with mean m has
        if (v == 0) {
            return shape(m, guard.maxStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        }
        if (v >= spread) {
            return shape(m, guard.minStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        }
        double s = spread / v - 1;
        if (s > guard.maxStrength()) {
            return shape(m, guard.maxStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        }
        if (s < guard.minStrength()) {
            return shape(m, guard.minStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        }
        return shape(m, s, EmpiricalBayesPrior.Guard.NONE);
    }

    private static EmpiricalBayesPrior shape(double m, double s, EmpiricalBayesPrior.Guard guard) {
        double lo = MIN_SHAPE / s;
        double clamped = Math.min(Math.max(m, lo), 1 - lo);
        return new EmpiricalBayesPrior(
            new BetaPosterior(clamped * s, (1 - clamped) * s), guard, clamped != m);
    }

    private static void requireGuard(PriorGuard guard) {
        if (guard == null) {
            throw new IllegalArgumentException("prior guard is null");
        }
    }
}
