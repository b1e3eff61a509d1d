package adrank.udfs.rank;

/**
 * Rank = the key's CPM shrunk toward its parent segment's CPM.
 *
 * <pre>
 *   rank   = (revenueMicros + k · parentCpm / 1000) / (impressions + k) · 1000
 *          = weight · cpm + (1 − weight) · parentCpm
 *   weight = impressions / (impressions + k)            ∈ [0, 1)
 * </pre>
 *
 * <p>{@code k} is the prior strength in impressions: the parent counts as {@code k} extra
 * impressions earning the parent's CPM. A key with {@code k} impressions of its own gets
 * weight ½. This is the shape of the Efron–Morris (1975) estimator
 * {@code z = ȳ + c·(y − ȳ)} with {@code c = n / (n + k)}.
 *
 * <p>Units: revenue in micros, CPMs in micros per thousand impressions. Null and error
 * conventions: see {@link Rates}.
 */
public final class Shrinkage {

    private Shrinkage() {
    }

    /**
     * {@code weight = impressions / (impressions + k)}: the certainty of the key's own CPM.
     *
     * @param k prior strength in impressions, finite and {@code > 0}
     * @throws InvalidInputException    if {@code impressions} is null or negative
     * @throws IllegalArgumentException if {@code k} is not finite and positive
     */
    public static double weight(Long impressions, double k) {
        long imps = Inputs.count("impressions", impressions);
        requireK(k);
        return imps / (imps + k);
    }

    /**
     * {@code rank = (revenueMicros + k · parentCpm / 1000) / (impressions + k) · 1000}.
     *
     * <p>Always defined (with {@code k > 0}): a key with no impressions ranks at its parent's
     * CPM.
     *
     * @param parentCpm the parent segment's CPM (micros per thousand impressions); the job
     *                  picks the first configured parent with enough data, the global average
     *                  last, so a null here is a faulty row
     * @throws InvalidInputException    on null, negative or NaN data
     * @throws IllegalArgumentException if {@code k} is not finite and positive
     */
    public static double rank(Long revenueMicros, Long impressions, Double parentCpm, double k) {
        long rev = Inputs.count("revenueMicros", revenueMicros);
        long imps = Inputs.count("impressions", impressions);
        double parent = Inputs.nonNegative("parentCpm", parentCpm);
        requireK(k);
        return (rev + k * parent / 1000.0) / (imps + k) * 1000.0;
    }

    /**
     * {@code weight · ownCpm + (1 − weight) · parentCpm}: the rank for an already adjusted
     * weight (e.g. after {@link Drift#adjust}). With the weight of {@link #weight} this equals
     * {@link #rank}.
     *
     * @param ownCpm may be null only when {@code weight == 0} (a key without impressions)
     * @throws InvalidInputException    on a null, negative or NaN CPM that the weight needs
     * @throws IllegalArgumentException if {@code weight} is not in [0, 1]
     */
    public static double blend(Double ownCpm, Double parentCpm, double weight) {
        Inputs.parameter("weight", weight, 0, true, 1, true);
        double parent = Inputs.nonNegative("parentCpm", parentCpm);
        if (weight == 0) {
            return parent;
        }
        double own = Inputs.nonNegative("ownCpm", ownCpm);
        return weight * own + (1 - weight) * parent;
    }

    /**
     * Everything the result row needs: CPM, weight (after the drift rule), parent CPM, rank,
     * drift z-score and its flag.
     *
     * @param driftZ the z-score of {@link Drift#zScore}, or null when there is no reference
     * @param policy the drift rule; its reduction is applied to the weight before blending
     */
    public static RankEstimate estimate(Long revenueMicros, Long impressions, Double parentCpm,
                                        double k, Double driftZ, DriftPolicy policy) {
        Double cpm = Rates.cpm(revenueMicros, impressions);
        double w = weight(impressions, k);
        DriftAdjustment adjusted = Drift.adjust(w, driftZ, policy);
        double rank = blend(cpm, parentCpm, adjusted.weight());
        return new RankEstimate(cpm, adjusted.weight(), parentCpm, rank, driftZ,
            adjusted.flagged());
    }

    private static void requireK(double k) {
        Inputs.parameter("k", k, 0, false, Double.POSITIVE_INFINITY, false);
    }
}
