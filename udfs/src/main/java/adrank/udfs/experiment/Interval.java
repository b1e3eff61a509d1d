package adrank.udfs.experiment;

/**
 * An estimate with a two-sided interval.
 *
 * @param estimate the point estimate
 * @param lo       lower bound
 * @param hi       upper bound
 */
public record Interval(double estimate, double lo, double hi) {

    public boolean contains(double value) {
        return lo <= value && value <= hi;
    }

    /** An estimate whose interval is undefined (too few units or no denominator). */
    public static Interval undefined(double estimate) {
        return new Interval(estimate, Double.NaN, Double.NaN);
    }
}
