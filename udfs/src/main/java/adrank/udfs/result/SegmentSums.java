package adrank.udfs.result;

import adrank.udfs.stats.Counters;
import adrank.udfs.vpc.RateMoments;
import java.io.Serializable;

/**
 * What a parent segment needs from its keys, summed exactly: the counters, and the sums of the
 * keys' conversion rates, squared rates and inverse clicks for the method-of-moments prior.
 *
 * <p>The rate sums are fixed-point integers (2<sup>-40</sup> resolution, ~1e-12), so merging
 * partial sums in any order — as Spark's reduce does — gives bit-identical results, and a re-run
 * stores byte-identical parent averages and ranks. (Floating-point running moments would differ
 * in the last bits with the merge order.)
 *
 * @param keys         keys in the segment
 * @param counters     summed counters
 * @param rateKeys     keys with at least one click (the ones that have a rate)
 * @param sumRate      Σ conv/clicks, fixed point
 * @param sumRateSq    Σ (conv/clicks)², fixed point
 * @param sumInvClicks Σ 1/clicks, fixed point
 */
public record SegmentSums(long keys, Counters counters, long rateKeys, long sumRate, long sumRateSq,
        long sumInvClicks) implements Serializable {

    private static final double SCALE = 0x1p40;

    public static final SegmentSums EMPTY = new SegmentSums(0, Counters.ZERO, 0, 0, 0, 0);

    /** One key's contribution. Keys with conversions &gt; clicks contribute counters but no rate. */
    public static SegmentSums of(Counters c) {
        if (c.clicks() == 0 || c.convs() > c.clicks()) {
            return new SegmentSums(1, c, 0, 0, 0, 0);
        }
        double rate = (double) c.convs() / c.clicks();
        return new SegmentSums(1, c, 1, Math.round(rate * SCALE), Math.round(rate * rate * SCALE),
                Math.round(SCALE / c.clicks()));
    }

    public SegmentSums plus(SegmentSums o) {
        return new SegmentSums(keys + o.keys, counters.plus(o.counters), rateKeys + o.rateKeys,
                Math.addExact(sumRate, o.sumRate), Math.addExact(sumRateSq, o.sumRateSq),
                Math.addExact(sumInvClicks, o.sumInvClicks));
    }

    /** The segment's CPM in micros per thousand impressions, or null without impressions. */
    public Double cpm() {
        return counters.imps() == 0 ? null : counters.revenueMicros() * 1000.0 / counters.imps();
    }

    /** The rate moments for {@link adrank.udfs.vpc.EmpiricalBayes}. */
    public RateMoments moments() {
        if (rateKeys == 0) {
            return RateMoments.EMPTY;
        }
        double s1 = sumRate / SCALE;
        double s2 = sumRateSq / SCALE;
        double mean = Math.min(1.0, Math.max(0.0, s1 / rateKeys));
        double squares = Math.max(0.0, s2 - s1 * s1 / rateKeys);
        return new RateMoments(rateKeys, mean, squares, sumInvClicks / SCALE);
    }
}
