package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;
import org.apache.commons.statistics.distribution.BetaDistribution;

/**
 * Posterior of a key's conversion-per-click rate {@code p ~ Beta(alpha, beta)}.
 *
 * <p>Conjugate model: each click converts with probability {@code p}; a day with
 * {@code conv} conversions out of {@code clicks} clicks turns {@code Beta(α, β)} into
 * {@code Beta(α + conv, β + clicks − conv)}. Older days are discounted by a forgetting factor
 * {@code λ} per day ({@link #update}):
 * <pre>
 *   α_D = λ · α_{D−1} + conv_D
 *   β_D = λ · β_{D−1} + (clicks_D − conv_D)
 * </pre>
 * {@code α} and {@code β} are pseudo-counts of converting and non-converting clicks, so
 * {@code α + β} is the evidence in clicks. The prior ({@code α_0, β_0}) comes from the parent
 * segment, see {@link EmpiricalBayes}.
 *
 * <p>The recursion, exactly as specified, decays the prior as well: after {@code D} days only
 * {@code λ^D} of the prior's pseudo-counts remain, so a key that stops getting clicks keeps its
 * old mean while its strength decays toward zero and its interval widens toward [0, 1]. {@link #updateAnchored}
 * keeps the prior's weight constant instead (it forgets only the data); with {@code λ = 1}
 * both are the plain conjugate sum. Which one the job uses is a configuration choice.
 *
 * <p>Quantiles come from Apache Commons Statistics ({@link BetaDistribution}).
 *
 * @param alpha pseudo-count of converting clicks, finite and {@code > 0}
 * @param beta  pseudo-count of non-converting clicks, finite and {@code > 0}
 */
public record BetaPosterior(double alpha, double beta) implements java.io.Serializable {

    public BetaPosterior {
        Inputs.positive("alpha", alpha);
        Inputs.positive("beta", beta);
    }

    /**
     * One day's update with forgetting:
     * {@code Beta(λ·α + conv, λ·β + clicks − conv)}.
     *
     * @param lambda forgetting factor in (0, 1]; 1 is the plain conjugate sum
     * @throws adrank.udfs.rank.InvalidInputException on null or negative counters, or
     *                                                conversions &gt; clicks
     * @throws IllegalArgumentException               if {@code lambda} is not in (0, 1]
     */
    public BetaPosterior update(Long conversions, Long clicks, double lambda) {
        long conv = Inputs.count("conversions", conversions);
        long c = Inputs.count("clicks", clicks);
        Inputs.atMost("conversions", conv, "clicks", c);
        Credible.lambda(lambda);
        return new BetaPosterior(lambda * alpha + conv, lambda * beta + (c - conv));
    }

    /**
     * {@code Beta(λ^days · α, λ^days · β)}: the forgetting of days without data (by-day lists
     * skip such days, but they still age the evidence). The mean is unchanged.
     *
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1] or {@code days < 0}
     */
    public BetaPosterior decay(double lambda, int days) {
        double f = Math.pow(Credible.lambda(lambda), Credible.days(days));
        return new BetaPosterior(f * alpha, f * beta);
    }

    /**
     * One day's update that forgets only the data, not the prior:
     * <pre>
     *   α_D = α_0 + λ · (α_{D−1} − α_0) + conv_D  =  λ · α_{D−1} + (1 − λ) · α_0 + conv_D
     * </pre>
     * and the same for {@code β}. Started from the prior, {@code α_D = α_0 + Σ λ^(D−d)·conv_d}.
     * If the parent's prior is re-estimated every day, passing the new one moves the prior
     * part toward it at rate {@code 1 − λ}. The result is always a valid Beta because it is a
     * positive combination of positive values.
     *
     * @param prior the current empirical-Bayes prior {@code Beta(α_0, β_0)}
     * @throws adrank.udfs.rank.InvalidInputException on null or negative counters, or
     *                                                conversions &gt; clicks
     * @throws IllegalArgumentException               if {@code lambda} is not in (0, 1] or
     *                                                {@code prior} is null
     */
    public BetaPosterior updateAnchored(BetaPosterior prior, Long conversions, Long clicks,
                                        double lambda) {
        requirePrior(prior);
        long conv = Inputs.count("conversions", conversions);
        long c = Inputs.count("clicks", clicks);
        Inputs.atMost("conversions", conv, "clicks", c);
        Credible.lambda(lambda);
        return new BetaPosterior(lambda * alpha + (1 - lambda) * prior.alpha + conv,
            lambda * beta + (1 - lambda) * prior.beta + (c - conv));
    }

    /**
     * {@link #decay} for the anchored form: {@code α_0 + λ^days · (α − α_0)}, same for β.
     *
     * @throws IllegalArgumentException if {@code lambda} is not in (0, 1], {@code days < 0} or
     *                                  {@code prior} is null
     */
    public BetaPosterior decayAnchored(BetaPosterior prior, double lambda, int days) {
        requirePrior(prior);
        double f = Math.pow(Credible.lambda(lambda), Credible.days(days));
        return new BetaPosterior(f * alpha + (1 - f) * prior.alpha,
            f * beta + (1 - f) * prior.beta);
    }

    /** Posterior mean {@code α / (α + β)}. */
    public double mean() {
        return alpha / (alpha + beta);
    }

    /** {@code α + β}, the evidence in clicks. */
    public double strength() {
        return alpha + beta;
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

    /** The equal-tailed credible interval at {@link Credible#DEFAULT_LEVEL}. */
    public Interval interval() {
        return interval(Credible.DEFAULT_LEVEL);
    }

    /**
     * The equal-tailed credible interval: from the {@code (1 − level)/2} to the
     * {@code (1 + level)/2} quantile. The upper bound uses the inverse survival function so
     * that it stays accurate when the upper tail is small.
     *
     * <p>The mean lies inside for all but extremely skewed posteriors (at level 0.9 only when
     * {@code α} or {@code β} is below about 0.014 can it fall outside).
     *
     * @throws IllegalArgumentException if {@code level} is not in (0, 1)
     */
    public Interval interval(double level) {
        double tail = Credible.tail(level);
        BetaDistribution d = distribution();
        return new Interval(d.inverseCumulativeProbability(tail),
            d.inverseSurvivalProbability(tail));
    }

    private static void requirePrior(BetaPosterior prior) {
        if (prior == null) {
            throw new IllegalArgumentException("prior is null");
        }
    }

    private BetaDistribution distribution() {
        return BetaDistribution.of(alpha, beta);
    }
}
