package adrank.udfs.rank;

/**
 * The drift rule: when {@code |z| > threshold} the weight is multiplied by {@code factor} and
 * the row is flagged.
 *
 * @param threshold z-score threshold, {@code > 0} (e.g. 3)
 * @param factor    weight multiplier for drifting keys, in [0, 1] (0 = fall back to the parent
 *                  entirely, 1 = only flag)
 */
public record DriftPolicy(double threshold, double factor) implements java.io.Serializable {

    public DriftPolicy {
        Inputs.parameter("drift threshold", threshold, 0, false, Double.POSITIVE_INFINITY, false);
        Inputs.parameter("drift factor", factor, 0, true, 1, true);
    }
}
