package adrank.udfs.eval;

import adrank.udfs.rank.InvalidInputException;

/**
 * Logarithmic bins of non-negative values: {@code perDecade} bins per power of ten from {@code lo}
 * to {@code hi = lo·10^decades}, plus one bin below {@code lo} (zero included) and one from
 * {@code hi} up. Bin {@code 0} is {@code [0, lo)}; bin {@code i} for {@code 1 ≤ i ≤ m}
 * ({@code m = decades·perDecade}) is {@code [edge(i−1), edge(i))}; bin {@code m+1} is
 * {@code [hi, ∞)}; {@code edge(k) = lo·10^(k/perDecade)}, computed one way only
 * ({@link #edge}), so a value lands in the bin whose reported edges enclose it, also on an edge.
 *
 * @param lo        the lowest edge, {@code > 0}
 * @param decades   powers of ten covered, {@code >= 1}
 * @param perDecade bins per power of ten, {@code >= 1}
 */
public record LogBins(double lo, int decades, int perDecade) implements java.io.Serializable {

    /**
     * @throws IllegalArgumentException unless {@code lo > 0} is finite, {@code decades >= 1},
     *                                  {@code perDecade >= 1} and there are at most 10,000 bins
     */
    public LogBins {
        if (!(lo > 0) || !Double.isFinite(lo) || decades < 1 || perDecade < 1
                || (long) decades * perDecade > 10_000) {
            throw new IllegalArgumentException("log bins need lo > 0 (" + lo + "), decades >= 1 ("
                + decades + ") and perDecade >= 1 (" + perDecade + "), at most 10,000 bins");
        }
    }

    /** The number of bins, the two open ones included: {@code decades·perDecade + 2}. */
    public int count() {
        return decades * perDecade + 2;
    }

    /** Edge {@code k} ({@code 0 ≤ k ≤ m}): {@code lo·10^(k/perDecade)}. */
    public double edge(int k) {
        return lo * Math.pow(10, (double) k / perDecade);
    }

    /** The lower edge of bin {@code i}: 0 for bin 0. */
    public double lower(int i) {
        return i == 0 ? 0 : edge(i - 1);
    }

    /** The upper edge of bin {@code i} (excluded): infinity for the last bin. */
    public double upper(int i) {
        return i == count() - 1 ? Double.POSITIVE_INFINITY : edge(i);
    }

    /**
     * The bin of a value.
     *
     * @throws InvalidInputException if {@code x} is negative, NaN or infinite
     */
    public int index(double x) {
        if (!(x >= 0) || !Double.isFinite(x)) {
            throw new InvalidInputException("value (" + x + ") is not a finite non-negative number");
        }
        int m = decades * perDecade;
        if (x < lo) {
            return 0;
        }
        if (x >= edge(m)) {
            return m + 1;
        }
        int i = (int) Math.floor(Math.log10(x / lo) * perDecade) + 1;
        i = Math.max(1, Math.min(m, i));
        while (i > 1 && x < edge(i - 1)) {
            i--;
        }
        while (i < m && x >= edge(i)) {
            i++;
        }
        return i;
    }
}
