package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;
import org.apache.commons.statistics.distribution.GammaDistribution;

/**
 * Posterior of a key's conversions per click {@code λ ~ Gamma(shape, rate)}.
 *
 * <p><b>Why a rate and not a probability.</b> Conversions are counted when they arrive: a CPA
 * conversion comes hours to days after its click, some come with no click at all (view-through),
 * so a day, a today or even a total may hold more conversions than clicks. That is data, not an
 * error. A Beta–Binomial model ("each click converts with probability p") cannot take it; a
 * Gamma–Poisson model can: given the key's rate {@code λ} (conversions per click, any value
 * {@code ≥ 0}), a period with {@code clicks} clicks sees {@code Poisson(λ · clicks)} conversions,
 * whenever they were caused. The conjugate update needs no {@code conv ≤ clicks}:
 * <pre>
 *   Gamma(α, β)  →  Gamma(α + conv, β + clicks)
 * </pre>
 * {@code α} counts pseudo-conversions and {@code β} pseudo-clicks, so {@code β} is the evidence
 * in clicks and the mean {@code α / β} is conversions per click. For the small rates of ads (a few
 * percent) it is numerically the Beta it replaces: {@code Beta(α, β − α)} and {@code Gamma(α, β)}
 * have means and variances within a few percent of each other.
 *
 * <p>Days are forgotten with a factor {@code λ_f} per day in the anchored form
 * ({@link #updateAnchored}): only the evidence is forgotten, the parent's prior keeps its weight.
 *
 * <p>Quantiles come from Apache Commons Statistics ({@link GammaDistribution}).
 *
 * @param shape pseudo-conversions, finite and {@code > 0}
 * @param rate  pseudo-clicks, finite and {@code > 0}
 */
public record RatePosterior(double shape, double rate) implements java.io.Serializable {

    public RatePosterior {
        Inputs.positive("shape", shape);
        Inputs.positive("rate", rate);
    }

    /**
     * One day's update that forgets only the data, not the prior:
     * <pre>
     *   shape_D = shape_0 + λ · (shape_{D−1} − shape_0) + conv_D
     *   rate_D  = rate_0  + λ · (rate_{D−1}  − rate_0)  + clicks_D
     * </pre>
     * Started from the prior, {@code shape_D = shape_0 + Σ λ^(D−d)·conv_d}. Any counts
     * {@code ≥ 0} are valid, conversions above clicks included.
     *
     * @param prior the empirical-Bayes prior of the parent segment
     * @throws adrank.udfs.rank.InvalidInputException on null or negative counters
     * @throws IllegalArgumentException               if {@code lambda} is not in (0, 1] or
     *                                                {@code prior} is null
     */
    public RatePosterior updateAnchored(RatePosterior prior, Long conversions, Long clicks, double lambda) {
        requirePrior(prior);
        long conv = Inputs.count("conversions", conversions);
        long c = Inputs.count("clicks", clicks);
        Credible.lambda(lambda);
        return new RatePosterior(lambda * shape + (1 - lambda) * prior.shape + conv,
            lambda * rate + (1 - lambda) * prior.rate + c);
    }

    /**
     * The forgetting of days without data (by-day lists skip such days, but they still age the
     * evidence): {@code shape_0 + λ^days · (shape − shape_0)}, same for the rate.
     *
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1], {@code days < 0} or
     *                                  {@code prior} is null
     */
    public RatePosterior decayAnchored(RatePosterior prior, double lambda, int days) {
        requirePrior(prior);
        double f = Math.pow(Credible.lambda(lambda), Credible.days(days));
        return new RatePosterior(f * shape + (1 - f) * prior.shape, f * rate + (1 - f) * prior.rate);
    }

    /** Posterior mean {@code shape / rate}, conversions per click. */
    public double mean() {
        return shape / rate;
    }

    /** {@code rate}, the evidence in clicks. */
    public double strength() {
        return rate;
    }

    /**
     * The {@code p}-quantile of the posterior.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1]
     */
    public double quantile(double p) {
        Inputs.parameter("p", p, 0, true, 1, true);
        return distribution().inverseCumulativeProbability(p);
    }

    /**
     * The equal-tailed credible interval: from the {@code (1 − level)/2} to the
     * {@code (1 + level)/2} quantile (the upper one by the inverse survival function, accurate
     * when the tail is small).
     *
     * @throws IllegalArgumentException if {@code level} is not in (0, 1)
     */
    public Interval interval(double level) {
        double tail = Credible.tail(level);
        GammaDistribution d = distribution();
        return new Interval(d.inverseCumulativeProbability(tail), d.inverseSurvivalProbability(tail));
    }

    private static void requirePrior(RatePosterior prior) {
        if (prior == null) {
            throw new IllegalArgumentException("prior is null");
        }
    }

    private GammaDistribution distribution() {
        return GammaDistribution.of(shape, 1 / rate);
    }
}
