package adrank.udfs.eval;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;

/**
 * Mergeable accumulator of interval coverage: the share of keys whose target (a true or
 * realised value) lies in their predicted interval {@code [lo, hi]} (both ends included), against
 * the interval's nominal level {@code L}.
 *
 * <p>The result gives the share, the gap {@code share − L}, the binomial standard error under
 * the nominal level {@code se = √(L(1 − L) / n)} (the spread of the share of {@code n} keys if
 * the intervals were exactly calibrated and the keys independent; unlike the observed share's
 * it is not 0 when every key is covered) and {@code z = gap / se}. A report can then say whether
 * the coverage is within ±3 points ({@code |gap| ≤ 0.03}) and whether {@code n} is large enough
 * to tell ({@code se} well below 0.03). Misses are split into below and above the interval.
 *
 * @param nominal the intervals' nominal level, in (0, 1)
 * @param keys    keys added
 * @param covered keys with {@code lo ≤ target ≤ hi}
 * @param below   keys with {@code target < lo}
 * @param above   keys with {@code target > hi}
 */
public record Coverage(double nominal, long keys, long covered, long below, long above)
    implements java.io.Serializable {

    /**
     * @throws IllegalArgumentException if {@code nominal} is not in (0, 1)
     * @throws InvalidInputException    if a count is negative or they do not add up to keys
     */
    public Coverage {
        Inputs.parameter("nominal", nominal, 0, false, 1, false);
        Inputs.count("keys", keys);
        Inputs.count("covered", covered);
        Inputs.count("below", below);
        Inputs.count("above", above);
        if (covered + below + above != keys) {
            throw new InvalidInputException("covered (" + covered + ") + below (" + below
                + ") + above (" + above + ") != keys (" + keys + ")");
        }
    }

    /**
     * No keys.
     *
     * @param nominal the intervals' nominal level, in (0, 1)
     * @throws IllegalArgumentException if {@code nominal} is not in (0, 1)
     */
    public static Coverage empty(double nominal) {
        return new Coverage(nominal, 0, 0, 0, 0);
    }

    /**
     * Adds one key.
     *
     * @param target the true or realised value
     * @param lo     the interval's lower bound
     * @param hi     the interval's upper bound, {@code >= lo}
     * @throws InvalidInputException on a null, NaN or infinite value, or {@code lo > hi}
     * @throws ArithmeticException   if a count overflows
     */
    public Coverage add(Double target, Double lo, Double hi) {
        double t = finite("target", target);
        double l = finite("lo", lo);
        double h = finite("hi", hi);
        if (l > h) {
            throw new InvalidInputException("lo (" + l + ") > hi (" + h + ")");
        }
        long n = Math.addExact(keys, 1);
        if (t < l) {
            return new Coverage(nominal, n, covered, below + 1, above);
        }
        if (t > h) {
            return new Coverage(nominal, n, covered, below, above + 1);
        }
        return new Coverage(nominal, n, covered + 1, below, above);
    }

    /**
     * Combines two partial accumulators (any order, exactly).
     *
     * @throws IllegalArgumentException if {@code other} is null or has another nominal level
     * @throws ArithmeticException      if a count overflows
     */
    public Coverage merge(Coverage other) {
        Checks.other(other);
        Checks.sameParameter("nominal", nominal, other.nominal);
        return new Coverage(nominal, Math.addExact(keys, other.keys),
            Math.addExact(covered, other.covered), Math.addExact(below, other.below),
            Math.addExact(above, other.above));
    }

    /** The coverage; see {@link Result}. */
    public Result result() {
        if (keys == 0) {
            return new Result(nominal, 0, 0, 0, 0, null, null, null, null);
        }
        double share = (double) covered / keys;
        double se = Math.sqrt(nominal * (1 - nominal) / keys);
        double gap = share - nominal;
        return new Result(nominal, keys, covered, below, above, share, se, gap, gap / se);
    }

    /**
     * Coverage of the keys added.
     *
     * @param nominal       the nominal level
     * @param keys          keys added
     * @param covered       keys inside their interval
     * @param below         keys below it
     * @param above         keys above it
     * @param share         {@code covered / keys}; null without keys
     * @param standardError {@code √(nominal·(1 − nominal) / keys)}; null without keys
     * @param gap           {@code share − nominal}; null without keys
     * @param z             {@code gap / standardError}; null without keys
     */
    public record Result(double nominal, long keys, long covered, long below, long above,
                         Double share, Double standardError, Double gap, Double z)
        implements java.io.Serializable {
    }

    private static double finite(String name, Double value) {
        if (value == null) {
            throw new InvalidInputException(name + " is null");
        }
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(name + " (" + value + ") is not a finite number");
        }
        return value;
    }
}
