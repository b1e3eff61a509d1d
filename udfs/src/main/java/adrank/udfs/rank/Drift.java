package adrank.udfs.rank;

/**
 * How far the conversion rate of the period just run (today, or the day just folded) departs
 * from the total's, as a z-score under a Poisson model of conversions.
 *
 * <pre>
 *   rate     = totalConversions / totalClicks           (conversions per click)
 *   expected = rate · todayClicks
 *   z        = (todayConversions − expected) / sqrt(max(expected, 0.5))
 * </pre>
 *
 * <p>Model: given today's clicks, today's conversions are Poisson with mean {@code expected};
 * the total's rate is taken as known (it rests on far more clicks than today). Per click rather
 * than per impression because conversions follow clicks: a change in CTR is not a conversion
 * drift. The sign tells the direction (negative: fewer conversions than expected, e.g. broken
 * tracking), and the rule in {@link #adjust} looks at {@code |z|}. If the total already
 * includes today, z is pulled toward 0, i.e. the test is conservative.
 *
 * <p>Guard: the variance is floored at half a conversion ({@link #MIN_EXPECTED}). Without it
 * a key whose total has no conversions ({@code expected = 0}) would get an infinite z from a
 * single conversion today; with it one conversion gives {@code z ≈ 1.41}, five give
 * {@code ≈ 7.07}. Zero observed against zero expected is {@code z = 0}.
 */
public final class Drift {

    /** Floor of the Poisson variance, in conversions; see the class comment. */
    public static final double MIN_EXPECTED = 0.5;

    private Drift() {
    }

    /**
     * The drift z-score of today against the total.
     *
     * @return z, or {@code null} when the total has no clicks (no reference rate)
     * @throws InvalidInputException on null or negative counters
     */
    public static Double zScore(Long todayConversions, Long todayClicks,
                                Long totalConversions, Long totalClicks) {
        long convToday = Inputs.count("todayConversions", todayConversions);
        long clicksToday = Inputs.count("todayClicks", todayClicks);
        long convTotal = Inputs.count("totalConversions", totalConversions);
        long clicksTotal = Inputs.count("totalClicks", totalClicks);
        if (clicksTotal == 0) {
            return null;
        }
        double expected = (double) convTotal / clicksTotal * clicksToday;
        return (convToday - expected) / Math.sqrt(Math.max(expected, MIN_EXPECTED));
    }

    /**
     * Applies the drift rule: if {@code |z| > policy.threshold()} the weight is multiplied by
     * {@code policy.factor()} and the result is flagged; otherwise the weight is unchanged.
     * A null z (no reference) never fires.
     *
     * @throws IllegalArgumentException if {@code weight} is not in [0, 1] or {@code policy} is
     *                                  null
     * @throws InvalidInputException    if {@code z} is NaN
     */
    public static DriftAdjustment adjust(double weight, Double z, DriftPolicy policy) {
        Inputs.parameter("weight", weight, 0, true, 1, true);
        if (policy == null) {
            throw new IllegalArgumentException("drift policy is null");
        }
        if (z == null) {
            return new DriftAdjustment(weight, false);
        }
        if (Double.isNaN(z)) {
            throw new InvalidInputException("drift z (NaN) is not a number");
        }
        if (Math.abs(z) > policy.threshold()) {
            return new DriftAdjustment(weight * policy.factor(), true);
        }
        return new DriftAdjustment(weight, false);
    }
}
