package adrank.udfs.vpc;

/**
 * A method-of-moments Gamma prior of conversions per click and which guard, if any, shaped it.
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
         * The between-key variance was too small (zero, negative after removing the Poisson
         * noise, or so small that the strength exceeded the maximum): strength set to
         * {@link PriorGuard#maxStrength()}.
         */
        VARIANCE_TOO_SMALL,
        /**
         * The between-key variance was so large that the strength fell below the minimum:
         * strength set to {@link PriorGuard#minStrength()}.
         */
        VARIANCE_TOO_LARGE
    }
}
