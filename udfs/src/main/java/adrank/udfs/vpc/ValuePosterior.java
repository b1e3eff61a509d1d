package adrank.udfs.vpc;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;
import org.apache.commons.statistics.distribution.GammaDistribution;

/**
 * Posterior of a key's mean value per conversion {@code μ}, in micros.
 *
 * <p>Model: the values of single conversions are exponential with rate {@code θ = 1/μ}, and
 * {@code θ ~ Gamma(shape, rate)} (the conjugate prior), so {@code μ ~ InverseGamma(shape, rate)}.
 * A day with {@code n} conversions worth {@code V} micros in total gives
 * {@code Gamma(shape + n, rate + V)}; with forgetting ({@link #update}):
 * <pre>
 *   shape_D = λ · shape_{D−1} + n_D
 *   rate_D  = λ · rate_{D−1}  + V_D
 * </pre>
 *
 * <p>Why this model: its sufficient statistics are exactly the counters kept per key and day
 * (conversions and the sum of value micros); a Normal model would also need the sum of squared
 * values, which the by-day lists do not store. Values are positive and right-skewed, which the
 * exponential respects. Its limit, said plainly: it fixes the spread of single values to the
 * mean (coefficient of variation 1). If real order values vary more, the interval of
 * {@code μ} is too narrow; the mean is unaffected.
 *
 * <p>Prior ({@link #prior}): {@code shape = k + 1}, {@code rate = k · V̄} with the parent's mean
 * value per conversion {@code V̄} and a strength of {@code k} conversions. Then the prior mean
 * is exactly {@code V̄}, and without forgetting the posterior mean is the shrinkage form
 * {@code (k·V̄ + V) / (k + n)}, like the rank.
 *
 * <p>Posterior mean {@code rate / (shape − 1)} exists only for {@code shape > 1}; quantiles
 * always exist and come from Apache Commons Statistics ({@link GammaDistribution}):
 * {@code μ_p = rate / G⁻¹(1 − p)} with {@code G} the {@code Gamma(shape, 1)} distribution.
 *
 * @param shape Gamma shape of {@code θ}, finite and {@code > 0} (≈ conversions seen + 1)
 * @param rate  Gamma rate of {@code θ} in micros, finite and {@code > 0} (≈ value seen)
 */
public record ValuePosterior(double shape, double rate) implements java.io.Serializable {

    public ValuePosterior {
        Inputs.positive("shape", shape);
        Inputs.positive("rate", rate);
    }

    /**
     * The prior from the parent segment: mean {@code V̄ = parentValueMicros / parentConversions}
     * with the weight of {@code strength} conversions.
     *
     * @param strength prior strength in conversions, finite and {@code > 0}
     * @throws InvalidInputException    if the parent's counters are null or negative, or it has
     *                                  no conversions or no value (no exponential has mean 0;
     *                                  choose a parent that reports value)
     * @throws IllegalArgumentException if {@code strength} is not finite and positive
     */
    public static ValuePosterior prior(Long parentConversions, Long parentValueMicros,
                                       double strength) {
        long n = Inputs.count("parentConversions", parentConversions);
        long v = Inputs.count("parentValueMicros", parentValueMicros);
        Inputs.parameter("value prior strength", strength, 0, false, Double.POSITIVE_INFINITY,
            false);
        if (n == 0 || v == 0) {
            throw new InvalidInputException("parent has parentConversions (" + n
                + ") and parentValueMicros (" + v + "); a value prior needs both > 0");
        }
        return priorWithMean((double) v / n, strength);
    }

    /**
     * The prior with mean {@code meanValueMicros} and the weight of {@code strength} conversions
     * (for a parent whose sums are wider than a long, see {@code SegmentSums}).
     *
     * @throws InvalidInputException    if the mean is not finite and positive
     * @throws IllegalArgumentException if {@code strength} is not finite and positive
     */
    public static ValuePosterior priorWithMean(double meanValueMicros, double strength) {
        Inputs.positive("parent mean value per conversion", meanValueMicros);
        Inputs.parameter("value prior strength", strength, 0, false, Double.POSITIVE_INFINITY, false);
        return new ValuePosterior(strength + 1, strength * meanValueMicros);
    }

    /**
     * One day's update with forgetting: {@code Gamma(λ·shape + n, λ·rate + V)}.
     *
     * @param lambda forgetting factor in (0, 1]; 1 is the plain conjugate sum
     * @throws InvalidInputException    on null or negative counters, or value without
     *                                  conversions
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1]
     */
    public ValuePosterior update(Long conversions, Long valueMicros, double lambda) {
        long n = Inputs.count("conversions", conversions);
        long v = value(n, valueMicros);
        Credible.lambda(lambda);
        return new ValuePosterior(lambda * shape + n, lambda * rate + v);
    }

    /**
     * One day's update that forgets only the data, not the prior (see
     * {@link RatePosterior#updateAnchored}):
     * {@code shape_D = λ·shape + (1 − λ)·prior.shape + n}, same for rate with {@code V}.
     *
     * @throws InvalidInputException    on null or negative counters, or value without
     *                                  conversions
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1] or {@code prior} is
     *                                  null
     */
    public ValuePosterior updateAnchored(ValuePosterior prior, Long conversions, Long valueMicros,
                                         double lambda) {
        requirePrior(prior);
        long n = Inputs.count("conversions", conversions);
        long v = value(n, valueMicros);
        Credible.lambda(lambda);
        return new ValuePosterior(lambda * shape + (1 - lambda) * prior.shape + n,
            lambda * rate + (1 - lambda) * prior.rate + v);
    }

    /**
     * {@code Gamma(λ^days · shape, λ^days · rate)}: ageing over days without data. Note that
     * this can bring {@code shape} below 1, where the mean no longer exists.
     *
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1] or {@code days < 0}
     */
    public ValuePosterior decay(double lambda, int days) {
        double f = Math.pow(Credible.lambda(lambda), Credible.days(days));
        return new ValuePosterior(f * shape, f * rate);
    }

    /**
     * {@link #decay} for the anchored form: {@code prior + λ^days · (this − prior)}.
     *
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1], {@code days < 0} or
     *                                  {@code prior} is null
     */
    public ValuePosterior decayAnchored(ValuePosterior prior, double lambda, int days) {
        requirePrior(prior);
        double f = Math.pow(Credible.lambda(lambda), Credible.days(days));
        return new ValuePosterior(f * shape + (1 - f) * prior.shape,
            f * rate + (1 - f) * prior.rate);
    }

    /**
     * Posterior mean of the value per conversion, {@code rate / (shape − 1)}, in micros.
     *
     * @return the mean, or {@code null} when {@code shape <= 1} (the mean is infinite)
     */
    public Double mean() {
        return shape > 1 ? rate / (shape - 1) : null;
    }

    /**
     * The {@code p}-quantile of the value per conversion, in micros:
     * {@code rate / G⁻¹(1 − p)}, {@code G = Gamma(shape, 1)}.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1)
     */
    public double quantile(double p) {
        Inputs.parameter("p", p, 0, true, 1, false);
        return rate / unitGamma().inverseSurvivalProbability(p);
    }

    /** The equal-tailed credible interval at {@link Credible#DEFAULT_LEVEL}. */
    public Interval interval() {
        return interval(Credible.DEFAULT_LEVEL);
    }

    /**
     * The equal-tailed credible interval of the value per conversion, in micros.
     *
     * <p>The mean lies inside at level 0.9 when {@code shape} is above about 1.07; closer to 1
     * the mean is so heavy-tailed that it exceeds the upper bound.
     *
     * @throws IllegalArgumentException if {@code level} is not in (0, 1)
     */
    public Interval interval(double level) {
        double tail = Credible.tail(level);
        GammaDistribution g = unitGamma();
        // Small μ ⇔ large θ: the lower bound of μ comes from the upper tail of θ.
        return new Interval(rate / g.inverseSurvivalProbability(tail),
            rate / g.inverseCumulativeProbability(tail));
    }

    private GammaDistribution unitGamma() {
        return GammaDistribution.of(shape, 1);
    }

    private static long value(long conversions, Long valueMicros) {
        long v = Inputs.count("valueMicros", valueMicros);
        if (v > 0 && conversions == 0) {
            throw new InvalidInputException("valueMicros (" + v + ") > 0 with conversions (0)");
        }
        return v;
    }

    private static void requirePrior(ValuePosterior prior) {
        if (prior == null) {
            throw new IllegalArgumentException("prior is null");
        }
    }
}
