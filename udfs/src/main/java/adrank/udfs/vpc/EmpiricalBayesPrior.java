package adrank.udfs.vpc;

/**
 * An empirical-Bayes Gamma prior of conversions per click (fitted by maximum likelihood, or by the method
 * of moments where no histogram is at hand) and which guard, if any, shaped it.
 *
 * @param prior       the prior {@code Gamma(shape_0, rate_0)}
 * @param guard       which strength guard applied
 * @param meanClamped whether the mean was raised so that the shape is at least ½ (a segment
 *                    with no or almost no conversions)
 */
public record EmpiricalBayesPrior(RatePosterior prior, Guard guard, boolean meanClamped) {

    /** Which strength guard of {@link PriorGuard} applied. */
    public enum Guard {
        /** The moments gave a strength inside the bounds. */
        NONE,
        /**
         * The between-key variance was too small (a degenerate maximum-likelihood fit, or a moment
         * variance of zero or below after removing the Poisson noise, or so small that the strength
         * exceeded the maximum): strength set to {@link PriorGuard#maxStrength()}. Such a segment
         * lends no VPC prior ({@code ParentModel.usableForVpc}).
         */
        VARIANCE_TOO_SMALL,
        /**
         * The between-key variance was so large that the strength fell below the minimum:
         * strength set to {@link PriorGuard#minStrength()}.
         */
        VARIANCE_TOO_LARGE
    }
}
