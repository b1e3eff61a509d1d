package adrank.udfs.result;

import adrank.udfs.stats.Counters;
import adrank.udfs.vpc.RateHistogram;
import adrank.udfs.vpc.RateMoments;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * What a parent segment needs from its keys, summed exactly: the counters, and the sums of the
 * keys' conversions per click, squared rates and inverse clicks for the empirical-Bayes prior.
 *
 * <p><b>Exact and order-independent.</b> Every sum is a 128-bit two's-complement integer (the
 * rate sums in fixed point with 2<sup>-40</sup> resolution, ~1e-12), so merging partial sums in
 * any order — as Spark's reduce does — gives bit-identical results and a re-run stores
 * byte-identical parent averages and ranks. (Floating-point running moments would differ in the
 * last bits with the merge order.)
 *
 * <p><b>Why 128 bits.</b> With 64-bit sums the inverse clicks of one-click keys (2<sup>40</sup>
 * each) overflowed at 2<sup>23</sup> ≈ 8.4 M keys in the global segment. A key contributes at
 * most 2<sup>63</sup> to each counter sum, so 128 bits hold 2<sup>64</sup> such keys; the rate
 * sums hold 2<sup>31</sup> keys with a conversion rate up to 2<sup>27</sup> per click each (and
 * squared rates up to 2<sup>54</sup>), far beyond any key. Beyond that, {@link #plus} and
 * {@link #of} throw {@link ArithmeticException}: a sum never wraps.
 *
 * <p><b>For the VPC priors</b> it also holds the segment's {@link RateHistogram} (keys per
 * (conversions, clicks) pair, exact integer counts, for the maximum-likelihood CVR prior) and, over
 * the keys with conversions and value, the sums of {@code ℓ = ln(value / conversions)} and
 * {@code ℓ²} (fixed point, offset by {@value #LOG_OFFSET} so that every term is positive) for the
 * value prior.
 *
 * <p>Conversions per click is a rate, not a probability: conversions arrive days after their
 * click and some have no click (view-through), so a key may have more conversions than clicks
 * and still has a rate. Keys without clicks contribute counters but no rate.
 */
public final class SegmentSums implements Serializable {

    private static final long serialVersionUID = 3L;

    /** Fixed-point scale of the rate sums. */
    private static final double SCALE = 0x1p40;
    private static final double TWO_64 = 0x1p64;
    private static final double TWO_63 = 0x1p63;

    // indexes of the 128-bit sums in `words` (hi at 2i, lo at 2i + 1)
    private static final int IMPS = 0;
    private static final int CLICKS = 1;
    private static final int CONVS = 2;
    private static final int REV = 3;
    private static final int VAL = 4;
    private static final int RATE = 5;
    private static final int RATE_SQ = 6;
    private static final int INV_CLICKS = 7;
    private static final int LOG_VALUE = 8;
    private static final int LOG_VALUE_SQ = 9;
    /** How many 128-bit sums there are. */
    public static final int WIDE_SUMS = 10;
    /** Added to {@code ln(value micros per conversion)} (≥ ln 2^-63 ≈ −43.7) so that every term is positive. */
    static final double LOG_OFFSET = 44;

    public static final SegmentSums EMPTY = new SegmentSums(0, 0, 0, new long[2 * WIDE_SUMS], RateHistogram.EMPTY);

    private final long keys;
    private final long rateKeys;
    private final long valueKeys;
    private final long[] words;
    private final RateHistogram histogram;

    private SegmentSums(long keys, long rateKeys, long valueKeys, long[] words, RateHistogram histogram) {
        this.keys = keys;
        this.rateKeys = rateKeys;
        this.valueKeys = valueKeys;
        this.words = words;
        this.histogram = histogram;
    }

    /**
     * Rebuilds sums from their parts (e.g. unpacked from bytes).
     *
     * @param words the 128-bit sums as (hi, lo) pairs, {@link #WIDE_SUMS} of them
     */
    public static SegmentSums ofWords(long keys, long rateKeys, long[] words) {
        return ofParts(keys, rateKeys, 0, words, RateHistogram.EMPTY);
    }

    /**
     * Rebuilds sums from all their parts (e.g. unpacked from bytes).
     *
     * @param valueKeys keys with conversions and value (the terms of the log-value sums)
     * @param words     the 128-bit sums as (hi, lo) pairs, {@link #WIDE_SUMS} of them
     * @param histogram the keys per (conversions, clicks) pair
     */
    public static SegmentSums ofParts(long keys, long rateKeys, long valueKeys, long[] words, RateHistogram histogram) {
        if (words.length != 2 * WIDE_SUMS) {
            throw new IllegalArgumentException("segment sums need " + 2 * WIDE_SUMS + " words, got " + words.length);
        }
        return new SegmentSums(keys, rateKeys, valueKeys, words.clone(), histogram);
    }

    /**
     * Sums that hold only a segment's key count and counters, from their exact decimals
     * {@code "imps clicks convs rev val"} ({@link #encodeCounters}); the rate and value sums are empty.
     */
    public static SegmentSums ofCounters(long keys, String counters) {
        String[] parts = counters.trim().split(" ");
        if (parts.length != 5) {
            throw new IllegalArgumentException("segment counters are 'imps clicks convs rev val', got '" + counters + "'");
        }
        long[] w = new long[2 * WIDE_SUMS];
        for (int i = 0; i < 5; i++) { // IMPS, CLICKS, CONVS, REV, VAL are the first five sums
            java.math.BigInteger v = new java.math.BigInteger(parts[i]);
            if (v.signum() < 0 || v.bitLength() > 127) {
                throw new IllegalArgumentException("segment counter " + v + " is outside 0 .. 2^127 - 1");
            }
            w[2 * i] = v.shiftRight(64).longValue();
            w[2 * i + 1] = v.longValue();
        }
        return new SegmentSums(keys, 0, 0, w, RateHistogram.EMPTY);
    }

    /** One key's contribution (its rank counters). */
    public static SegmentSums of(Counters c) {
        long[] w = new long[2 * WIDE_SUMS];
        w[2 * IMPS + 1] = c.imps();
        w[2 * CLICKS + 1] = c.clicks();
        w[2 * CONVS + 1] = c.convs();
        w[2 * REV + 1] = c.revenueMicros();
        w[2 * VAL + 1] = c.valueMicros();
        long valueKeys = 0;
        if (c.convs() > 0 && c.valueMicros() > 0) {
            double shifted = Math.log((double) c.valueMicros() / c.convs()) + LOG_OFFSET;
            setFixed(w, LOG_VALUE, shifted * SCALE);
            setFixed(w, LOG_VALUE_SQ, shifted * shifted * SCALE);
            valueKeys = 1;
        }
        if (c.clicks() == 0) {
            return new SegmentSums(1, 0, valueKeys, w, RateHistogram.EMPTY);
        }
        double rate = (double) c.convs() / c.clicks();
        setFixed(w, RATE, rate * SCALE);
        setFixed(w, RATE_SQ, rate * rate * SCALE);
        setFixed(w, INV_CLICKS, SCALE / c.clicks());
        return new SegmentSums(1, 1, valueKeys, w, RateHistogram.of(c.convs(), c.clicks()));
    }

    /** The exact sum of two partial sums; throws {@link ArithmeticException} rather than wrap. */
    public SegmentSums plus(SegmentSums o) {
        long[] w = new long[2 * WIDE_SUMS];
        for (int i = 0; i < 2 * WIDE_SUMS; i += 2) {
            long lo = words[i + 1] + o.words[i + 1];
            long carry = Long.compareUnsigned(lo, words[i + 1]) < 0 ? 1 : 0;
            w[i] = Math.addExact(Math.addExact(words[i], o.words[i]), carry);
            w[i + 1] = lo;
        }
        return new SegmentSums(Math.addExact(keys, o.keys), Math.addExact(rateKeys, o.rateKeys),
                Math.addExact(valueKeys, o.valueKeys), w, histogram.plus(o.histogram));
    }

    /** Keys in the segment. */
    public long keys() {
        return keys;
    }

    /** Keys with at least one click (the ones that have a rate). */
    public long rateKeys() {
        return rateKeys;
    }

    /** Keys with conversions and value (the keys of {@link #logValueMean()}). */
    public long valueKeys() {
        return valueKeys;
    }

    /** Keys per (conversions, clicks) pair, for the maximum-likelihood CVR prior. */
    public RateHistogram histogram() {
        return histogram;
    }

    /** Mean of {@code ln(value / conversions)} over the {@link #valueKeys()}, null without such keys. */
    public Double logValueMean() {
        return valueKeys == 0 ? null : toDouble(LOG_VALUE) / SCALE / valueKeys - LOG_OFFSET;
    }

    /** Sample variance of {@code ln(value / conversions)} over the {@link #valueKeys()}, null with fewer than two. */
    public Double logValueVariance() {
        if (valueKeys < 2) {
            return null;
        }
        double s1 = toDouble(LOG_VALUE) / SCALE;
        double s2 = toDouble(LOG_VALUE_SQ) / SCALE;
        return Math.max(0.0, (s2 - s1 * s1 / valueKeys) / (valueKeys - 1));
    }

    /** A copy of the 128-bit sums as (hi, lo) pairs, for packing. */
    public long[] words() {
        return words.clone();
    }

    /** Summed impressions. */
    public BigInteger imps() {
        return wide(IMPS);
    }

    /** Whether the segment has at least {@code n} impressions (exact). */
    public boolean impsAtLeast(long n) {
        return words[2 * IMPS] > 0 || (words[2 * IMPS] == 0 && Long.compareUnsigned(words[2 * IMPS + 1], n) >= 0);
    }

    /**
     * The summed counters as 64-bit {@link Counters}.
     *
     * @throws ArithmeticException when a sum exceeds 2<sup>63</sup> − 1 (it is still exact
     *                             here, see {@link #encodeCounters()}, but no longer a long)
     */
    public Counters counters() {
        return new Counters(exactLong(IMPS, "impressions"), exactLong(CLICKS, "clicks"),
                exactLong(CONVS, "conversions"), exactLong(REV, "revenue micros"), exactLong(VAL, "value micros"));
    }

    /** The summed counters as {@code "imps clicks convs rev val"} decimals, exact whatever their size. */
    public String encodeCounters() {
        return wide(IMPS) + " " + wide(CLICKS) + " " + wide(CONVS) + " " + wide(REV) + " " + wide(VAL);
    }

    /** Summed conversions, as a double. */
    public double convsApprox() {
        return toDouble(CONVS);
    }

    /** Summed value micros, as a double. */
    public double valueApprox() {
        return toDouble(VAL);
    }

    /** The segment's CPM in micros per thousand impressions, or null without impressions. */
    public Double cpm() {
        if (words[2 * IMPS] == 0 && words[2 * IMPS + 1] == 0) {
            return null;
        }
        return toDouble(REV) * 1000.0 / toDouble(IMPS);
    }

    /** The rate moments for {@link adrank.udfs.vpc.EmpiricalBayes}. */
    public RateMoments moments() {
        if (rateKeys == 0) {
            return RateMoments.EMPTY;
        }
        double s1 = toDouble(RATE) / SCALE;
        double s2 = toDouble(RATE_SQ) / SCALE;
        double mean = Math.max(0.0, s1 / rateKeys);
        double squares = Math.max(0.0, s2 - s1 * s1 / rateKeys);
        return new RateMoments(rateKeys, mean, squares, toDouble(INV_CLICKS) / SCALE);
    }

    private BigInteger wide(int index) {
        long hi = words[2 * index];
        long lo = words[2 * index + 1];
        return BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }

    private double toDouble(int index) {
        long hi = words[2 * index];
        long lo = words[2 * index + 1];
        double unsignedLo = lo >= 0 ? lo : (double) (lo >>> 1) * 2.0 + (lo & 1);
        return hi * TWO_64 + unsignedLo;
    }

    private long exactLong(int index, String name) {
        long hi = words[2 * index];
        long lo = words[2 * index + 1];
        if (hi != 0 || lo < 0) {
            throw new ArithmeticException("the segment's " + name + " (" + wide(index)
                    + ") exceed a 64-bit counter");
        }
        return lo;
    }

    /** Stores {@code round(value)} (value ≥ 0, finite) as a 128-bit integer; fails beyond 2^127. */
    private static void setFixed(long[] w, int index, double value) {
        double rounded = Math.rint(value);
        if (rounded < TWO_63) {
            w[2 * index + 1] = (long) rounded;
            return;
        }
        if (!Double.isFinite(rounded)) {
            throw new ArithmeticException("rate sum term " + value + " is not finite");
        }
        BigInteger exact = new BigDecimal(rounded).toBigIntegerExact();
        if (exact.bitLength() > 126) {
            throw new ArithmeticException("rate sum term " + exact + " is too large to sum exactly in 128 bits");
        }
        w[2 * index] = exact.shiftRight(64).longValue();
        w[2 * index + 1] = exact.longValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentSums s && keys == s.keys && rateKeys == s.rateKeys && valueKeys == s.valueKeys
                && Arrays.equals(words, s.words) && histogram.equals(s.histogram);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Long.hashCode(keys) + Long.hashCode(rateKeys)) + Long.hashCode(valueKeys))
                + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "SegmentSums[keys=" + keys + ", counters=" + encodeCounters() + ", rateKeys=" + rateKeys + "]";
    }
}
