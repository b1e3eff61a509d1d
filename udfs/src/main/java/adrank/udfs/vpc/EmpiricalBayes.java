package adrank.udfs.vpc;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;
import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.Trigamma;

/**
 * Empirical-Bayes priors of a parent segment: conversions per click from a maximum-likelihood fit
 * ({@link #gammaPrior(GammaMixtureFit.Fit, PriorGuard)}, what the result stage uses) or by the method
 * of moments (below; kept for sums without a histogram), and value per conversion from the
 * log-moments of the keys' mean values ({@link #valuePrior}).
 *
 * <p><b>Method of moments.</b>
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

    /**
     * The prior from a maximum-likelihood fit of the segment's Gamma–Poisson marginal
     * ({@link RateHistogram#fit()}), with the same guards as the moments: a degenerate fit or a
     * strength above the maximum is {@code VARIANCE_TOO_SMALL} (the segment lends no VPC prior),
     * a strength below the minimum is raised to it ({@code VARIANCE_TOO_LARGE}).
     *
     * @throws IllegalArgumentException if {@code fit} or {@code guard} is null
     */
    public static EmpiricalBayesPrior gammaPrior(GammaMixtureFit.Fit fit, PriorGuard guard) {
        requireGuard(guard);
        if (fit == null) {
            throw new IllegalArgumentException("fit is null");
        }
        if (fit.degenerate() || fit.rate() > guard.maxStrength()) {
            return shape(fit.mean(), guard.maxStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        }
        if (fit.rate() < guard.minStrength()) {
            return shape(fit.mean(), guard.minStrength(), EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        }
        return new EmpiricalBayesPrior(new RatePosterior(fit.shape(), fit.rate()), EmpiricalBayesPrior.Guard.NONE, false);
    }

    /** Fewest keys with value whose spread a value prior is estimated from. */
    public static final long MIN_VALUE_KEYS = 3;
    /**
     * Smallest shape of an estimated value prior: above 1 so that its mean exists, and at 1.5 its
     * log-variance ψ₁(1.5) = 0.93 (a factor of 2.6 per standard deviation), wider than the spread of
     * ads' values seen so far.
     */
    static final double MIN_VALUE_SHAPE = 1.5;
    /** Largest shape: keys whose mean values agree to 1 % (ψ₁(10⁴) ≈ 10⁻⁴). */
    static final double MAX_VALUE_SHAPE = 1e4;

    /**
     * The value-per-conversion prior {@code θ = 1/μ ~ Gamma(a, b)} ({@link ValuePosterior}) of a
     * segment, matched to the log-moments of its keys' mean values {@code ℓ_i = ln(value_i / conv_i)}
     * (keys with conversions and value). For {@code μ ~ InverseGamma(a, b)},
     * {@code E[ln μ] = ln b − ψ(a)} and {@code Var[ln μ] = ψ₁(a)}, so
     * <pre>
     *   a = ψ₁⁻¹(s² · (1 + 1/k)),   b = exp(m + ψ(a))
     * </pre>
     * with {@code m} and {@code s²} the keys' mean and sample variance of {@code ℓ} and {@code k} the
     * keys; {@code (1 + 1/k)} makes it the predictive spread of a new key when {@code m} is itself
     * estimated from {@code k} keys. The same log-moments give the VPC interval ({@link Vpc}).
     *
     * <p>Why not the Gamma–exponential marginal likelihood ({@link GammaMixtureFit} fits it too): its
     * noise model, exponential single values (coefficient of variation 1), is wider than real
     * baskets (0.53 on the generated data), so it explains the keys' spread as noise and fitted
     * priors far too strong (value intervals covered 54 % on {@code EstimatorIT}'s set). Nor the
     * conversion-weighted mean with a fixed strength (the former prior): one heavy key sets the
     * mean of a segment its thin keys do not share. The spread of observed means still holds each
     * key's own noise, so {@code s²} errs wide, on the safe side.
     *
     * @param keys          keys with conversions and value, at least {@link #MIN_VALUE_KEYS}
     * @param meanLog       {@code m}, finite
     * @param varianceLog   {@code s²}, finite and {@code >= 0}
     * @return the prior, shape clamped to [{@value #MIN_VALUE_SHAPE}, {@value #MAX_VALUE_SHAPE}]
     * @throws IllegalArgumentException on fewer keys or non-finite moments
     */
    public static ValuePosterior valuePrior(long keys, double meanLog, double varianceLog) {
        if (keys < MIN_VALUE_KEYS) {
            throw new IllegalArgumentException("a value prior needs " + MIN_VALUE_KEYS + " keys with value, got " + keys);
        }
        if (!Double.isFinite(meanLog) || !(varianceLog >= 0) || Double.isInfinite(varianceLog)) {
            throw new IllegalArgumentException("log-moments (" + meanLog + ", " + varianceLog + ") are not finite");
        }
        double predictive = varianceLog * (1 + 1.0 / keys);
        double a = Math.min(MAX_VALUE_SHAPE, Math.max(MIN_VALUE_SHAPE, inverseTrigamma(predictive)));
        return new ValuePosterior(a, Math.exp(meanLog + Digamma.value(a)));
    }

    /** The {@code a > 0} with {@code ψ₁(a) = v} (ψ₁ falls from ∞ to 0), by bisection on {@code ln a}; ∞ for 0. */
    static double inverseTrigamma(double v) {
        if (v == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = Math.log(1e-8);
        double hi = Math.log(1e12);
        for (int i = 0; i < 100 && hi - lo > 1e-14; i++) {
            double mid = (lo + hi) / 2;
            if (Trigamma.value(Math.exp(mid)) > v) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp((lo + hi) / 2);
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
