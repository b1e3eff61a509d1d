package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;

/**
 * Bounds on the strength (the Gamma rate, in pseudo-clicks) of a method-of-moments prior of
 * conversions per click.
 *
 * <p>The method of moments gives {@code rate = mean / variance}. A variance near 0 (all keys
 * alike, or too few keys to see their spread) makes the prior arbitrarily strong, so it would
 * override every key's own data; a huge variance makes it weightless. The strength is therefore
 * clamped into {@code [minStrength, maxStrength]}.
 *
 * @param minStrength the weakest prior, in clicks, {@code >= 1}
 * @param maxStrength the strongest prior, in clicks, {@code >= minStrength}
 */
public record PriorGuard(double minStrength, double maxStrength) implements java.io.Serializable {

    /**
     * {@code [2, 1000]}: at most as much weight as 1000 clicks of the key's own. A starting
     * point for configuration, not a law.
     */
    public static final PriorGuard DEFAULT = new PriorGuard(2, 1000);

    public PriorGuard {
        // >= 1: a prior weaker than one click would let a single click decide the rate.
        Inputs.parameter("minStrength", minStrength, 1, true, Double.POSITIVE_INFINITY, false);
        Inputs.parameter("maxStrength", maxStrength, minStrength, true,
            Double.POSITIVE_INFINITY, false);
    }
}
