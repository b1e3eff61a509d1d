package adrank.udfs.vpc;

/**
 * A method-of-moments Beta prior and which guard, if any, shaped it.
 *
 * @param prior       the prior {@code Beta(α_0, β_0)}
 * @param guard       which strength guard applied
 * @param meanClamped whether the mean was moved so that both shapes are at least ½ (a
 *                    segment with no conversions, or where nearly every click converts)
 */
public record EmpiricalBayesPrior(BetaPosterior prior, Guard guard, boolean meanClamped) {

    /** Which strength guard of {@link PriorGuard} applied. */
    public enum Guard {
        /** The moments gave a strength inside the bounds. */
        NONE,
        /**
         * The between-key variance was too small (zero, negative after removing binomial
         * noise, or so small that the strength exceeded the maximum): strength set to
         * {@link PriorGuard#maxStrength()}.
         */
        VARIANCE_TOO_SMALL,
        /**
         * The between-key variance was too large for a Beta of that mean (at or above
         * {@code mean·(1 − mean)}, or not identifiable because every key has one click), or
         * the strength fell below the minimum: strength set to {@link PriorGuard#minStrength()}.
         */
        VARIANCE_TOO_LARGE
    }
}
