package adrank.udfs.eval;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mergeable histogram of the ratio of two predictions of a key, rank / raw CPM: how far the
 * shrinkage moved each key from its own CPM. Ratios are counted in {@link LogBins} ({@link #BINS}:
 * 1/1000 to 1000, 5 bins a decade, plus the bins below and above); keys where the ratio is not a
 * positive number are counted apart: {@link #undefined} (no raw CPM of its own: no impressions as
 * of D, so both predict the parent), {@link #rawZero} (raw CPM 0, rank above it: an infinite
 * ratio) and {@link #bothZero} (0 / 0). A rank of 0 against a positive raw CPM is ratio 0 (the
 * lowest bin).
 *
 * <p>Mutable for speed (add and merge change it and return it, as {@link Scorecard}); not
 * thread-safe.
 */
public final class RatioHistogram implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The ratio's bins: 0.001 to 1000, 5 a decade. */
    public static final LogBins BINS = new LogBins(0.001, 6, 5);

    private final LogBins bins;
    private final long[] counts;
    private long undefined;
    private long rawZero;
    private long bothZero;

    /** An empty histogram of {@link #BINS}. */
    public RatioHistogram() {
        this(BINS);
    }

    /**
     * An empty histogram.
     *
     * @throws IllegalArgumentException if {@code bins} is null
     */
    public RatioHistogram(LogBins bins) {
        if (bins == null) {
            throw new IllegalArgumentException("bins are null");
        }
        this.bins = bins;
        this.counts = new long[bins.count()];
    }

    /**
     * Adds one key.
     *
     * @param numerator      the rank, micros CPM
     * @param denominator    the raw CPM, micros, or null when the key has none
     * @throws InvalidInputException on a null numerator, or a negative, NaN or infinite value
     * @throws ArithmeticException   if a count overflows
     */
    public RatioHistogram add(Double numerator, Double denominator) {
        double a = Inputs.nonNegative("numerator", numerator);
        if (denominator == null) {
            undefined = Math.addExact(undefined, 1);
            return this;
        }
        double b = Inputs.nonNegative("denominator", denominator);
        if (b == 0) {
            if (a == 0) {
                bothZero = Math.addExact(bothZero, 1);
            } else {
                rawZero = Math.addExact(rawZero, 1);
            }
            return this;
        }
        double ratio = a / b;
        if (!Double.isFinite(ratio)) { // a tiny denominator: past every bin
            ratio = Double.MAX_VALUE;
        }
        int i = bins.index(ratio);
        counts[i] = Math.addExact(counts[i], 1);
        return this;
    }

    /**
     * Adds another histogram's keys to this one (exact, any order).
     *
     * @throws IllegalArgumentException if {@code other} is null or has other bins
     * @throws ArithmeticException      if a count overflows
     */
    public RatioHistogram merge(RatioHistogram other) {
        Checks.other(other);
        if (!other.bins.equals(bins)) {
            throw new IllegalArgumentException("cannot merge histograms of bins " + bins + " and " + other.bins);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.addExact(counts[i], other.counts[i]);
        }
        undefined = Math.addExact(undefined, other.undefined);
        rawZero = Math.addExact(rawZero, other.rawZero);
        bothZero = Math.addExact(bothZero, other.bothZero);
        return this;
    }

    /** The bins. */
    public LogBins bins() {
        return bins;
    }

    /** Every bin in order, empty ones included: {@code [lower, upper)} and its keys. */
    public List<Bin> histogram() {
        List<Bin> out = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            out.add(new Bin(bins.lower(i), bins.upper(i), counts[i]));
        }
        return out;
    }

    /** Keys with a ratio (in some bin). */
    public long keys() {
        return Arrays.stream(counts).sum();
    }

    /** Keys without a denominator. */
    public long undefined() {
        return undefined;
    }

    /** Keys with denominator 0 and a positive numerator. */
    public long rawZero() {
        return rawZero;
    }

    /** Keys with both 0. */
    public long bothZero() {
        return bothZero;
    }

    /**
     * One bin.
     *
     * @param lower the ratio's lower edge (included)
     * @param upper its upper edge (excluded; infinite for the last bin)
     * @param keys  keys in it
     */
    public record Bin(double lower, double upper, long keys) implements java.io.Serializable {
    }
}
