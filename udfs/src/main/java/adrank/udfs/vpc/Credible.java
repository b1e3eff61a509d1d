package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;

/**
 * Credible levels. All intervals in this package are equal-tailed (central): for level
 * {@code L} they run from the {@code (1 − L)/2} quantile to the {@code (1 + L)/2} quantile of
 * the posterior.
 */
public final class Credible {

    /** The default credible level, 0.9. */
    public static final double DEFAULT_LEVEL = 0.9;

    private Credible() {
    }

    /**
     * The probability in each tail, {@code (1 − level) / 2}.
     *
     * @throws IllegalArgumentException if {@code level} is not in (0, 1)
     */
    public static double tail(double level) {
        Inputs.parameter("credible level", level, 0, false, 1, false);
        return (1 - level) / 2;
    }

    /**
     * Checks a forgetting factor {@code λ ∈ (0, 1]}: 1 keeps everything, smaller values
     * discount a day's evidence by {@code λ} per day of age.
     *
     * @throws IllegalArgumentException otherwise
     */
    static double lambda(double lambda) {
        return Inputs.parameter("lambda", lambda, 0, false, 1, true);
    }

    /**
     * Checks a number of days to decay over.
     *
     * @throws IllegalArgumentException if negative
     */
    static int days(int days) {
        if (days < 0) {
            throw new IllegalArgumentException("days (" + days + ") is negative");
        }
        return days;
    }
}
