package adrank.udfs.vpc;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;

/**
 * Empirical-Bayes Gamma prior of a parent segment's conversions per click, by the method of
 * moments.
 *
 * <p>The keys of a segment are modelled as having rates {@code λ_i ~ Gamma(shape, rate)} (see
 * {@link RatePosterior}); matching the mean {@code m} and the variance {@code v} of that
 * distribution:
 * <pre>
 *   rate = m / v,   shape = m · rate = m² / v
 * </pre>
 *
 * <p>From observed counters ({@link RateMoments}), the variance of the observed rates
 * {@code r_i = conv_i/clicks_i} is larger than {@code v}: it also contains the Poisson noise of
 * each key, {@code E[Var(r_i | λ_i)] = m / n_i}. Averaging over the keys with
 * {@code h = mean(1/n_i)}:
 * <pre>
 *   v = sampleVariance(r) − m · h
 * </pre>
 * Without this correction a segment of small keys would look far more diverse than it is and
 * get an almost flat prior, exactly where shrinkage matters most. (The unweighted moment
 * estimator of the Gamma–Poisson / negative-binomial model.)
 *
 * <p>Guards (documented on {@link PriorGuard} and reported in {@link EmpiricalBayesPrior}):
 * <ul>
 *   <li>{@code v <= 0} or {@code rate > maxStrength}: no detectable spread,
 *       {@code rate = maxStrength};</li>
 *   <li>{@code rate < minStrength}: spread too large for the data, {@code rate = minStrength};</li>
 *   <li>then the mean is raised to at least {@code ½ / rate} so that {@code shape >= ½}: a
 *       segment without any conversion still gets a proper prior with a small, positive mean.</li>
 * </ul>
 */
public final class EmpiricalBayes {

    private static final double MIN_SHAPE = 0.5;

    private EmpiricalBayes() {
    }

    /**
     * The prior from the mean and variance of the segment's true (noise-free) per-key rates.
     *
     * @param mean     mean conversions per click, {@code >= 0}
     * @param variance variance of the rates, {@code >= 0}
     * @throws InvalidInputException    if {@code mean} or {@code variance} is negative, NaN or
     *                                  infinite
     * @throws IllegalArgumentException if {@code guard} is null
     */
    public static EmpiricalBayesPrior gammaPrior(double mean, double variance, PriorGuard guard) {
        Inputs.nonNegative("mean rate", mean);
        Inputs.nonNegative("variance", variance);
        requireGuard(guard);
        return fromMoments(mean, variance, guard);
    }

    /**
     * The prior from a segment's accumulated per-key counters, with the Poisson noise of each
     * key removed from the variance (see the class comment).
     *
     * @throws InvalidInputException    if the segment has fewer than two keys with clicks
     * @throws IllegalArgumentException if {@code guard} is null
     */
    public static EmpiricalBayesPrior gammaPrior(RateMoments segment, PriorGuard guard) {
        requireGuard(guard);
        if (segment == null) {
            throw new IllegalArgumentException("segment moments are null");
        }
        if (segment.keys() < 2) {
            throw new InvalidInputException("segment has " + segment.keys()
                + " key(s) with clicks; the method of moments needs at least 2");
        }
        double m = segment.mean();
        double v = segment.variance() - m * segment.meanInverseClicks();
        return fromMoments(m, Math.max(v, 0), guard);
    }

    private static EmpiricalBayesPrior fromMoments(double m, double v, PriorGuard guard) {
        if (v == 0) {
            return shape(m, guard.maxStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        }
        double rate = m / v;
        if (rate > guard.maxStrength()) {
            return shape(m, guard.maxStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        }
        if (rate < guard.minStrength()) {
            return shape(m, guard.minStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        }
        return shape(m, rate, EmpiricalBayesPrior.Guard.NONE);
    }

    private static EmpiricalBayesPrior shape(double m, double rate, EmpiricalBayesPrior.Guard guard) {
        double raised = Math.max(m, MIN_SHAPE / rate);
        return new EmpiricalBayesPrior(new RatePosterior(raised * rate, rate), guard, raised != m);
    }

    private static void requireGuard(PriorGuard guard) {
        if (guard == null) {
            throw new IllegalArgumentException("prior guard is null");
        }
    }
}
