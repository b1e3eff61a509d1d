package adrank.udfs.eval;

import adrank.udfs.rank.Inputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mergeable accumulator of a reliability diagram (calibration by prediction level): predicted vs
 * realised amounts grouped by the level of the prediction, e.g. predicted vs realised revenue by
 * predicted-CPM decile.
 *
 * <p>Per key: prediction {@code p} (a CPM in micros, a rate), weight {@code w} (the trials it
 * applies to: realised impressions for a CPM or a CTR, clicks for a CVR) and the realised amount
 * {@code y} (revenue micros, clicks, conversions). The predicted amount is {@code p·w / scale}
 * ({@code scale} 1000 for a CPM, 1 for a rate). Keys are kept in fine {@link LogBins} of
 * {@code p}: per bin the keys, {@code Σw}, {@code Σ p·w} and {@code Σy} (exact {@code long}s
 * but {@code Σ p·w}). {@link #groups(int)} then joins adjacent bins, in order of {@code p}, into
 * groups of about equal weight (deciles for 10): a group closes after the bin that carries the
 * cumulative weight to or past the next multiple of {@code Σw / count}. A bin is never split, so
 * a group's edges are bin edges (the quantile is known to one bin's width, e.g. 26 % for 10 bins a
 * decade) and one heavy bin (many keys at one parent CPM) makes fewer, unequal groups. Keys
 * without weight add their realised amount (lagged revenue of a day without impressions) to
 * the group of their bin but predict nothing, as in {@link CpmErrors}' calibration.
 *
 * <p>Mutable for speed (add and merge change it and return it, as {@link Scorecard}): its bins
 * are arrays; not thread-safe.
 */
public final class Reliability implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Bins of a CPM in micros: $0.001 to $10,000 per thousand impressions, 10 bins a decade. */
    public static final LogBins CPM_BINS = new LogBins(1_000, 7, 10);
    /** Bins of a rate: 1e-6 to 1, 10 bins a decade. */
    public static final LogBins RATE_BINS = new LogBins(1e-6, 6, 10);

    private final LogBins bins;
    private final double scale;
    private final long[] keys;
    private final long[] weight;
    private final double[] predicted;
    private final long[] realised;

    /**
     * An empty diagram.
     *
     * @param bins  the bins of the prediction
     * @param scale divides {@code p·w} to give the predicted amount, {@code > 0}
     * @throws IllegalArgumentException if {@code bins} is null or {@code scale} not positive
     */
    public Reliability(LogBins bins, double scale) {
        if (bins == null) {
            throw new IllegalArgumentException("bins are null");
        }
        Inputs.positive("scale", scale);
        this.bins = bins;
        this.scale = scale;
        int n = bins.count();
        keys = new long[n];
        weight = new long[n];
        predicted = new double[n];
        realised = new long[n];
    }

    /** An empty diagram of CPMs in micros against revenue in micros. */
    public static Reliability cpm() {
        return new Reliability(CPM_BINS, 1000);
    }

    /** An empty diagram of rates against event counts. */
    public static Reliability rate() {
        return new Reliability(RATE_BINS, 1);
    }

    /**
     * Adds one key.
     *
     * @param prediction {@code p}
     * @param weight     {@code w}
     * @param realised   {@code y}
     * @throws adrank.udfs.rank.InvalidInputException on a null, negative, NaN or infinite value
     * @throws ArithmeticException                    if a {@code long} sum overflows
     */
    public Reliability add(Double prediction, Long weight, Long realised) {
        double p = Inputs.nonNegative("prediction", prediction);
        long w = Inputs.count("weight", weight);
        long y = Inputs.count("realised", realised);
        int i = bins.index(p);
        long k = Math.addExact(keys[i], 1);
        long sw = Math.addExact(this.weight[i], w);
        long sy = Math.addExact(this.realised[i], y);
        keys[i] = k;
        this.weight[i] = sw;
        this.realised[i] = sy;
        predicted[i] += p * w;
        return this;
    }

    /**
     * Adds another diagram's keys to this one (any order; equal to adding them here up to rounding).
     *
     * @throws IllegalArgumentException if {@code other} is null or has other bins or scale
     * @throws ArithmeticException      if a {@code long} sum overflows
     */
    public Reliability merge(Reliability other) {
        Checks.other(other);
        if (!other.bins.equals(bins)) {
            throw new IllegalArgumentException("cannot merge reliability diagrams of bins " + bins + " and "
                + other.bins);
        }
        Checks.sameParameter("scale", scale, other.scale);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Math.addExact(keys[i], other.keys[i]);
            weight[i] = Math.addExact(weight[i], other.weight[i]);
            realised[i] = Math.addExact(realised[i], other.realised[i]);
            predicted[i] += other.predicted[i];
        }
        return this;
    }

    /** The bins. */
    public LogBins bins() {
        return bins;
    }

    /** Keys added. */
    public long keys() {
        return Arrays.stream(keys).sum();
    }

    /**
     * The bins joined into about {@code count} groups of equal weight, in order of the prediction;
     * only bins with keys. Without any weight, one group of every key.
     *
     * @param count the groups wanted, {@code >= 1}
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public List<Group> groups(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count (" + count + ") must be >= 1");
        }
        long total = Arrays.stream(weight).sum();
        List<Group> out = new ArrayList<>();
        long passed = 0; // group thresholds passed: multiples of total/count reached
        long cumulative = 0;
        int first = -1;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == 0) {
                continue;
            }
            if (first < 0) {
                first = i;
            }
            cumulative += weight[i];
            long reached = total == 0 ? 0 : Math.min(count, Math.multiplyExact(cumulative, (long) count) / total);
            if (reached > passed && reached < count) {
                out.add(group(first, i));
                first = -1;
                passed = reached;
            }
        }
        if (first >= 0) {
            out.add(group(first, keys.length - 1));
        }
        return out;
    }

    private Group group(int from, int to) {
        long k = 0;
        long w = 0;
        long y = 0;
        double pw = 0;
        int last = from;
        for (int i = from; i <= to; i++) {
            if (keys[i] > 0) {
                last = i;
            }
            k += keys[i];
            w += weight[i];
            y += realised[i];
            pw += predicted[i];
        }
        return new Group(bins.lower(from), bins.upper(last), k, w, pw / scale, y,
            w == 0 ? null : pw / w, w == 0 ? null : y * scale / w);
    }

    /**
     * Keys whose predictions lie in {@code [lower, upper)}.
     *
     * @param lower               the lowest prediction's bin edge
     * @param upper               the highest prediction's bin edge (excluded)
     * @param keys                keys
     * @param weight              {@code Σw}
     * @param predictedAmount     {@code Σ p·w / scale}
     * @param realisedAmount      {@code Σy}
     * @param meanPrediction      {@code Σ p·w / Σw}; null without weight
     * @param realisedRate        {@code Σy·scale / Σw}, on the prediction's scale (a realised CPM
     *                            for a CPM); null without weight
     */
    public record Group(double lower, double upper, long keys, long weight, double predictedAmount,
                        long realisedAmount, Double meanPrediction, Double realisedRate)
        implements java.io.Serializable {
    }
}
