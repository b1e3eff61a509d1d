package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Value per click {@code VPC = p · μ}: conversions per click {@code p ~ Gamma}
 * ({@link RatePosterior}) times value-per-conversion {@code μ ~ InverseGamma}
 * ({@link ValuePosterior}), taken as independent a posteriori.
 *
 * <p><b>Mean:</b> {@code E[p·μ] = E[p]·E[μ]}, exact under independence.
 *
 * <p><b>Interval:</b> each factor gets its equal-tailed interval at level {@code √L}; the
 * bounds are the products {@code [p_lo·μ_lo, p_hi·μ_hi]}. Meaning: under independence the
 * rectangle {@code p ∈ [p_lo, p_hi], μ ∈ [μ_lo, μ_hi]} has posterior probability exactly
 * {@code √L·√L = L}, and because both factors are positive the product of every point of the
 * rectangle lies inside {@code [p_lo·μ_lo, p_hi·μ_hi]}. So the interval has posterior
 * probability <em>at least</em> {@code L}: it is conservative (wider than the central
 * {@code L}-interval of the product, which has no closed form), deterministic and cheap —
 * four quantiles per key, no sampling. It is not an equal-tailed interval of VPC.
 *
 * <p>The mean lies inside the interval whenever each factor's mean lies inside its own
 * interval; for a weak value posterior (shape close to 1, a heavy-tailed mean) and a low level
 * it may not: at level 0.8 a value shape above ≈ 1.07 is enough.
 */
public final class Vpc {

    /**
     * Recent estimates per thread. Thin keys under one parent prior share their posteriors
     * exactly (same prior, same few clicks and conversions), and four quantiles by root finding
     * are most of a daily result's CPU, so equal inputs are answered from here. The function stays
     * pure: the memo only ever returns what the computation returned for the same inputs.
     */
    private static final int MEMO_ENTRIES = 1 << 14;
    private static final ThreadLocal<Map<Inputs3, VpcEstimate>> MEMO = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(MEMO_ENTRIES * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Inputs3, VpcEstimate> eldest) {
                    return size() > MEMO_ENTRIES;
                }
            });

    private record Inputs3(RatePosterior cvr, ValuePosterior value, double level) {
    }

    private Vpc() {
    }

    /** {@link #estimate(RatePosterior, ValuePosterior, double)} at the default level 0.9. */
    public static VpcEstimate estimate(RatePosterior cvr, ValuePosterior value) {
        return estimate(cvr, value, Credible.DEFAULT_LEVEL);
    }

    /**
     * The VPC mean and its conservative credible interval (see the class comment).
     *
     * @param level credible level in (0, 1)
     * @throws IllegalArgumentException if a posterior is null or {@code level} is not in (0, 1)
     */
    public static VpcEstimate estimate(RatePosterior cvr, ValuePosterior value, double level) {
        if (cvr == null || value == null) {
            throw new IllegalArgumentException("posterior is null: cvr=" + cvr + ", value=" + value);
        }
        Inputs.parameter("credible level", level, 0, false, 1, false);
        Map<Inputs3, VpcEstimate> memo = MEMO.get();
        Inputs3 inputs = new Inputs3(cvr, value, level);
        VpcEstimate known = memo.get(inputs);
        if (known != null) {
            return known;
        }
        VpcEstimate estimate = compute(cvr, value, level);
        memo.put(inputs, estimate);
        return estimate;
    }

    private static VpcEstimate compute(RatePosterior cvr, ValuePosterior value, double level) {
        double factorLevel = Math.sqrt(level);
        Interval p = cvr.interval(factorLevel);
        Interval mu = value.interval(factorLevel);
        Double valueMean = value.mean();
        double cvrMean = cvr.mean();
        Double mean = valueMean == null ? null : cvrMean * valueMean;
        return new VpcEstimate(mean, p.lo() * mu.lo(), p.hi() * mu.hi(), level, cvrMean, p,
            valueMean, mu);
    }
}
