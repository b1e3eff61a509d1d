package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;

/**
 * Bounds on the strength {@code α + β} (in clicks) of a method-of-moments Beta prior.
 *
 * <p>The method of moments gives {@code α + β = mean·(1 − mean)/variance − 1}. A variance
 * near 0 (all keys alike, or too few keys to see their spread) makes the prior arbitrarily
 * strong, so it would override every key's own data; a variance at or above
 * {@code mean·(1 − mean)} admits no Beta at all. The strength is therefore clamped into
 * {@code [minStrength, maxStrength]}.
 *
 * @param minStrength the weakest prior, in clicks, {@code >= 1} (2 is as weak as a uniform
 *                    prior)
 * @param maxStrength the strongest prior, in clicks, {@code >= minStrength}
 */
public record PriorGuard(double minStrength, double maxStrength) implements java.io.Serializable {

    /**
     * {@code [2, 1000]}: at most as much weight as 1000 clicks of the key's own. A starting
     * point for configuration, not a law.
     */
    public static final PriorGuard DEFAULT = new PriorGuard(2, 1000);

    public PriorGuard {
        // >= 1 so that both shapes can be floored at 1/2 without changing the strength.
        Inputs.parameter("minStrength", minStrength, 1, true, Double.POSITIVE_INFINITY, false);
        Inputs.parameter("maxStrength", maxStrength, minStrength, true,
            Double.POSITIVE_INFINITY, false);
    }
}
