package adrank.udfs.rank;

/**
 * Validation shared by the pure functions of {@code adrank.udfs.rank} and
 * {@code adrank.udfs.vpc}.
 *
 * <p>Data values (counters, money, stored posterior parameters) fail with
 * {@link InvalidInputException}; configuration parameters fail with
 * {@link IllegalArgumentException}. Both messages name the argument and its value.
 */
public final class Inputs {

    private Inputs() {
    }

    /**
     * A counter or an amount of micros: present and {@code >= 0}.
     *
     * @return the unboxed value
     * @throws InvalidInputException if {@code value} is null or negative
     */
    public static long count(String name, Long value) {
        if (value == null) {
            throw new InvalidInputException(name + " is null");
        }
        if (value < 0) {
            throw new InvalidInputException(name + " (" + value + ") is negative");
        }
        return value;
    }

    /**
     * A real-valued data value (a parent's CPM, a stored posterior parameter): present, finite
     * and {@code >= 0}.
     *
     * @throws InvalidInputException if {@code value} is null, NaN, infinite or negative
     */
    public static double nonNegative(String name, Double value) {
        if (value == null) {
            throw new InvalidInputException(name + " is null");
        }
        double v = value;
        if (!Double.isFinite(v) || v < 0) {
            throw new InvalidInputException(name + " (" + v + ") is not a finite number >= 0");
        }
        return v;
    }

    /**
     * A real-valued data value that must be finite and strictly positive (e.g. a Gamma shape).
     *
     * @throws InvalidInputException if {@code value} is NaN, infinite or {@code <= 0}
     */
    public static double positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InvalidInputException(name + " (" + value + ") is not a finite number > 0");
        }
        return value;
    }

    /**
     * A configuration parameter in the closed or half-open range given.
     *
     * @throws IllegalArgumentException if {@code value} is NaN or outside the range
     */
    public static double parameter(String name, double value, double lo, boolean loInclusive,
                                   double hi, boolean hiInclusive) {
        boolean aboveLo = loInclusive ? value >= lo : value > lo;
        boolean belowHi = hiInclusive ? value <= hi : value < hi;
        if (!(aboveLo && belowHi)) { // NaN fails both comparisons
            throw new IllegalArgumentException(name + " (" + value + ") is not in "
                + (loInclusive ? "[" : "(") + lo + ", " + hi + (hiInclusive ? "]" : ")"));
        }
        return value;
    }
}
