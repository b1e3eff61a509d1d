package adrank.udfs.compare;

import adrank.udfs.eval.LogBins;
import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The distribution of the rank ratio B/A over the keys in both sides of a comparison, in bounded
 * memory. Keys where the ratio is not a positive number are counted apart: no rank on a side (a
 * stored row without a result), rank 0 on one side (an infinite or zero ratio) or on both (0/0).
 *
 * <p>Every ratio is counted in {@link #FINE} log bins (1e-6 to 1e6, 50 a decade: a bin spans a
 * factor 10^(1/50) = 1.047) and, while at most {@code exactLimit} ratios were seen, also kept
 * as is: quantiles are then exact (Hyndman and Fan's type 7, the default of R and NumPy: linear
 * interpolation between order statistics); past the limit the buffer is dropped and quantiles come
 * from the fine bins (geometric interpolation inside the bin, so within 4.7 % of the exact value).
 * The page and the console show the {@link #COARSE} bins (5 a decade), whose edges are every
 * tenth fine edge, the same doubles ({@link LogBins#edge} computes both from {@code k/perDecade}).
 *
 * <p>Mutable, not thread-safe (one scan feeds it).
 */
public final class RankRatios {

    /** Bins the ratio is counted in. */
    public static final LogBins FINE = new LogBins(1e-6, 12, 50);
    /** Bins shown: 5 a decade. */
    public static final LogBins COARSE = new LogBins(1e-6, 12, 5);
    /** Ratios kept for exact quantiles by default: 8 MB of doubles. */
    public static final int EXACT_LIMIT = 1_000_000;

    private static final int FINE_PER_COARSE = FINE.perDecade() / COARSE.perDecade();

    private final int exactLimit;
    private final long[] fine = new long[FINE.count()];
    private double[] exact = new double[16];
    private boolean exactKept = true;
    /** The kept ratios sorted, null after an add. */
    private double[] sorted;
    private long ratios;
    private double sumLog;
    private long equal;
    private long up;
    private long down;
    private long noRankA;
    private long noRankB;
    private long noRankBoth;
    private long zeroA;
    private long zeroB;
    private long bothZero;

    public RankRatios() {
        this(EXACT_LIMIT);
    }

    /**
     * @param exactLimit ratios kept for exact quantiles (0: quantiles always from the bins)
     * @throws IllegalArgumentException if negative
     */
    public RankRatios(int exactLimit) {
        if (exactLimit < 0) {
            throw new IllegalArgumentException("exactLimit must be >= 0, got " + exactLimit);
        }
        this.exactLimit = exactLimit;
    }

    /** How a key's two ranks compare. */
    public enum Kind {
        /** A rank on both sides, both positive: the ratio B/A is counted. */
        RATIO,
        /** No rank on A (B has one). */
        NO_RANK_A,
        /** No rank on B (A has one). */
        NO_RANK_B,
        /** No rank on either side. */
        NO_RANK_BOTH,
        /** Rank 0 on A, positive on B (ratio infinite). */
        ZERO_A,
        /** Rank 0 on B, positive on A (ratio 0). */
        ZERO_B,
        /** Rank 0 on both (0/0). */
        BOTH_ZERO
    }

    /**
     * What kind of pair two ranks are.
     *
     * @param rankA A's rank (micros CPM), null for none
     * @param rankB B's rank, null for none
     * @throws InvalidInputException if a rank is negative, NaN or infinite
     */
    public static Kind kind(Double rankA, Double rankB) {
        check("rank A", rankA);
        check("rank B", rankB);
        if (rankA == null || rankB == null) {
            return rankA == null && rankB == null ? Kind.NO_RANK_BOTH : rankA == null ? Kind.NO_RANK_A
                    : Kind.NO_RANK_B;
        }
        if (rankA == 0 || rankB == 0) {
            return rankA == 0 && rankB == 0 ? Kind.BOTH_ZERO : rankA == 0 ? Kind.ZERO_A : Kind.ZERO_B;
        }
        return Kind.RATIO;
    }

    private static void check(String name, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw new InvalidInputException(name + " (" + value + ") is not a finite non-negative number");
        }
    }

    /**
     * Adds one key in both sides.
     *
     * @return the pair's kind
     * @throws InvalidInputException if a rank is negative, NaN or infinite
     * @throws ArithmeticException   if a count overflows
     */
    public Kind add(Double rankA, Double rankB) {
        Kind kind = kind(rankA, rankB);
        switch (kind) {
            case NO_RANK_A -> noRankA = Math.addExact(noRankA, 1);
            case NO_RANK_B -> noRankB = Math.addExact(noRankB, 1);
            case NO_RANK_BOTH -> noRankBoth = Math.addExact(noRankBoth, 1);
            case ZERO_A -> zeroA = Math.addExact(zeroA, 1);
            case ZERO_B -> zeroB = Math.addExact(zeroB, 1);
            case BOTH_ZERO -> bothZero = Math.addExact(bothZero, 1);
            case RATIO -> addRatio(rankB / rankA);
            default -> throw new IllegalStateException(kind.name());
        }
        return kind;
    }

    private void addRatio(double ratio) {
        if (!Double.isFinite(ratio)) { // a tiny A: past every bin
            ratio = Double.MAX_VALUE;
        }
        ratios = Math.addExact(ratios, 1);
        sorted = null;
        sumLog += Math.log(Math.max(ratio, Double.MIN_NORMAL));
        if (ratio == 1) {
            equal++;
        } else if (ratio > 1) {
            up++;
        } else {
            down++;
        }
        fine[FINE.index(ratio)]++;
        if (exactKept) {
            if (ratios > exactLimit) {
                exactKept = false;
                exact = null;
            } else {
                if (ratios > exact.length) {
                    exact = Arrays.copyOf(exact, (int) Math.min(exactLimit, 2L * exact.length));
                }
                exact[(int) ratios - 1] = ratio;
            }
        }
    }

    /** Keys with a ratio. */
    public long ratios() {
        return ratios;
    }

    /** Keys with the same positive rank on both sides (ratio exactly 1). */
    public long equal() {
        return equal;
    }

    /** Keys whose rank went up (ratio above 1). */
    public long up() {
        return up;
    }

    /** Keys whose rank went down (ratio below 1, above 0). */
    public long down() {
        return down;
    }

    public long noRankA() {
        return noRankA;
    }

    public long noRankB() {
        return noRankB;
    }

    public long noRankBoth() {
        return noRankBoth;
    }

    public long zeroA() {
        return zeroA;
    }

    public long zeroB() {
        return zeroB;
    }

    public long bothZero() {
        return bothZero;
    }

    /** Keys counted apart from the ratio (no rank or rank 0 on a side). */
    public long apart() {
        return noRankA + noRankB + noRankBoth + zeroA + zeroB + bothZero;
    }

    /** Whether {@link #quantile} is exact (all ratios kept) or from the fine bins. */
    public boolean exact() {
        return exactKept;
    }

    /** The geometric mean of the ratios, exp(mean ln ratio); null without ratios. */
    public Double geometricMean() {
        return ratios == 0 ? null : Math.exp(sumLog / ratios);
    }

    /**
     * The p-quantile of the ratios: exact (type 7) while they are kept, else from the fine bins;
     * null without ratios.
     *
     * @throws IllegalArgumentException unless 0 <= p <= 1
     */
    public Double quantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a quantile's probability must be in [0, 1], got " + p);
        }
        if (ratios == 0) {
            return null;
        }
        double h = (ratios - 1) * p;
        if (exactKept) {
            if (sorted == null) { // sorted once, until the next add
                sorted = Arrays.copyOf(exact, (int) ratios);
                Arrays.sort(sorted);
            }
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
        }
        return binnedQuantile(fine, h);
    }

    /**
     * The value at 0-based rank {@code h} of the counts in {@link #FINE} bins: the bin holding order
     * statistic floor(h), interpolated geometrically between its edges at (floor(h) - before + 0.5) / n
     * of its n values (each value taken at the middle of its share of the bin). The open bins give
     * their finite edge.
     */
    static double binnedQuantile(long[] counts, double h) {
        long target = (long) Math.floor(h);
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (target < before + counts[i]) {
                double lower = FINE.lower(i);
                double upper = FINE.upper(i);
                if (lower == 0) {
                    return upper;
                }
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                double share = (target - before + 0.5) / counts[i];
                return lower * Math.pow(upper / lower, share);
            }
            before += counts[i];
        }
        throw new IllegalStateException("rank " + h + " past the " + before + " counted");
    }

    /** Every {@link #COARSE} bin in order, empty ones included. */
    public List<Bin> histogram() {
        List<Bin> out = new ArrayList<>(COARSE.count());
        int m = COARSE.count() - 2;
        out.add(new Bin(COARSE.lower(0), COARSE.upper(0), fine[0]));
        for (int c = 1; c <= m; c++) {
            long n = 0;
            for (int f = (c - 1) * FINE_PER_COARSE + 1; f <= c * FINE_PER_COARSE; f++) {
                n += fine[f];
            }
            out.add(new Bin(COARSE.lower(c), COARSE.upper(c), n));
        }
        out.add(new Bin(COARSE.lower(m + 1), COARSE.upper(m + 1), fine[fine.length - 1]));
        return out;
    }

    /**
     * One shown bin.
     *
     * @param lower the ratio's lower edge (included; 0 for the first)
     * @param upper its upper edge (excluded; infinite for the last)
     * @param keys  keys in it
     */
    public record Bin(double lower, double upper, long keys) {
    }
}
