package adrank.udfs.vpc;

import adrank.udfs.rank.InvalidInputException;

/**
 * A closed interval {@code [lo, hi]}, e.g. a credible interval.
 *
 * @param lo lower bound, finite
 * @param hi upper bound, finite and {@code >= lo}
 */
public record Interval(double lo, double hi) implements java.io.Serializable {

    public Interval {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new InvalidInputException("interval [" + lo + ", " + hi + "] is not a finite"
                + " interval with lo <= hi");
        }
    }

    /** Whether {@code lo <= x <= hi}. */
    public boolean contains(double x) {
        return lo <= x && x <= hi;
    }

    /** {@code hi − lo}. */
    public double width() {
        return hi - lo;
    }
}
