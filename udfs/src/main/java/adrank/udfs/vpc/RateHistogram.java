package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;
import java.io.Serializable;
import java.util.Arrays;

/**
 * How many keys of a segment have each (conversions, clicks) pair: the grouped counts the
 * maximum-likelihood Gamma–Poisson prior ({@link GammaMixtureFit}) is fitted on, which moments
 * cannot summarise.
 *
 * <p><b>Exact and order-independent.</b> Entries are integer counts of keys per pair, kept sorted,
 * so merging partial histograms in any order (as Spark's reduce does) gives equal histograms and a
 * re-run fits the same prior bit for bit.
 *
 * <p><b>Compact.</b> A key with more than {@link #MAX_CLICKS} clicks enters thinned to
 * {@code MAX_CLICKS} clicks and {@code round(conv · MAX_CLICKS / clicks)} conversions: its rate is
 * kept, its Poisson precision is that of 1,024 clicks (a rate of 5 % then has a relative error of
 * 14 %, well below the spread of keys' rates the prior measures). So a segment holds at most
 * {@code MAX_CLICKS × (distinct conversion counts)} pairs whatever its keys; on the generated sets a
 * few hundred for the global segment, a handful for an ad's segment.
 *
 * @param clicks      clicks of each pair, ascending with {@code conversions} as a tie-break
 * @param conversions conversions of each pair
 * @param keys        keys with that pair, {@code > 0}
 */
public record RateHistogram(int[] clicks, int[] conversions, long[] keys) implements Serializable {

    /** Clicks above which a key is thinned (see the class comment). */
    public static final int MAX_CLICKS = 1024;

    /** No keys. */
    public static final RateHistogram EMPTY = new RateHistogram(new int[0], new int[0], new long[0]);

    public RateHistogram {
        if (clicks.length != conversions.length || clicks.length != keys.length) {
            throw new IllegalArgumentException("histogram columns differ in length");
        }
        for (int i = 0; i < clicks.length; i++) {
            if (clicks[i] < 1 || clicks[i] > MAX_CLICKS || conversions[i] < 0 || keys[i] < 1
                    || (i > 0 && compare(clicks[i - 1], conversions[i - 1], clicks[i], conversions[i]) >= 0)) {
                throw new IllegalArgumentException("histogram entry " + i + " (" + conversions[i] + " of " + clicks[i]
                        + " clicks, " + keys[i] + " keys) is out of range or out of order");
            }
        }
    }

    /**
     * One key's entry; empty for a key without clicks (it has no rate).
     *
     * @throws adrank.udfs.rank.InvalidInputException on null or negative counters
     * @throws ArithmeticException                    when the thinned conversions exceed an int
     */
    public static RateHistogram of(Long conversions, Long clicks) {
        long conv = Inputs.count("conversions", conversions);
        long n = Inputs.count("clicks", clicks);
        if (n == 0) {
            return EMPTY;
        }
        if (n > MAX_CLICKS) {
            conv = Math.round((double) conv * MAX_CLICKS / n);
            n = MAX_CLICKS;
        }
        return new RateHistogram(new int[] {(int) n}, new int[] {Math.toIntExact(conv)}, new long[] {1});
    }

    /** The exact sum of two histograms (a sorted merge); throws rather than wrap a count. */
    public RateHistogram plus(RateHistogram o) {
        if (o.keys.length == 0) {
            return this;
        }
        if (keys.length == 0) {
            return o;
        }
        int[] n = new int[keys.length + o.keys.length];
        int[] y = new int[n.length];
        long[] w = new long[n.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < keys.length || j < o.keys.length) {
            int c = i == keys.length ? 1 : j == o.keys.length ? -1
                    : compare(clicks[i], conversions[i], o.clicks[j], o.conversions[j]);
            if (c <= 0) {
                n[k] = clicks[i];
                y[k] = conversions[i];
                w[k] = keys[i++];
                if (c == 0) {
                    w[k] = Math.addExact(w[k], o.keys[j++]);
                }
            } else {
                n[k] = o.clicks[j];
                y[k] = o.conversions[j];
                w[k] = o.keys[j++];
            }
            k++;
        }
        return new RateHistogram(Arrays.copyOf(n, k), Arrays.copyOf(y, k), Arrays.copyOf(w, k));
    }

    /** Distinct pairs. */
    public int size() {
        return keys.length;
    }

    /**
     * The maximum-likelihood Gamma–Poisson prior of the keys' rates, or null when fewer than two
     * keys or no conversion (see {@link GammaMixtureFit#fit}).
     */
    public GammaMixtureFit.Fit fit() {
        long[] y = new long[keys.length];
        double[] n = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            y[i] = conversions[i];
            n[i] = clicks[i];
        }
        return GammaMixtureFit.fit(y, n, keys);
    }

    private static int compare(int clicksA, int convsA, int clicksB, int convsB) {
        int c = Integer.compare(clicksA, clicksB);
        return c != 0 ? c : Integer.compare(convsA, convsB);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateHistogram h && Arrays.equals(clicks, h.clicks) && Arrays.equals(conversions, h.conversions)
                && Arrays.equals(keys, h.keys);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(clicks) + Arrays.hashCode(conversions)) + Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("RateHistogram[");
        for (int i = 0; i < keys.length; i++) {
            s.append(i == 0 ? "" : ", ").append(conversions[i]).append('/').append(clicks[i]).append('×').append(keys[i]);
        }
        return s.append(']').toString();
    }
}
