package adrank.testdata;

import java.time.Duration;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.distribution.LogNormalDistribution;

/**
 * Known answers about truncated log-normal lags, computed from Commons Statistics' log-normal CDF
 * by plain numerical integration: independent of {@link LagDistribution}'s closed form.
 */
final class LagMath {

    static final double HOUR = 3600;

    private LagMath() {
    }

    /** CDF of a log-normal lag (seconds) with this median and sigma, truncated at {@code max}. */
    static DoubleUnaryOperator truncatedCdf(Duration median, double sigma, Duration max) {
        LogNormalDistribution lag = LogNormalDistribution.of(Math.log(median.toSeconds()), sigma);
        double maxSeconds = max.toSeconds();
        double massBelowMax = lag.cumulativeProbability(maxSeconds);
        return x -> x <= 0 ? 0 : x >= maxSeconds ? 1 : lag.cumulativeProbability(x) / massBelowMax;
    }

    /** Composite Simpson rule over [a, b] with {@code intervals} (even) intervals. */
    static double simpson(DoubleUnaryOperator f, double a, double b, int intervals) {
        double h = (b - a) / intervals;
        double sum = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < intervals; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
        }
        return sum * h / 3;
    }

    /**
     * Probability that the follow-up of an event at a uniform moment {@code u} of hour 0 lands in
     * hour {@code l} or later: the mean over u in [0, 1) of {@code 1 - F(l h - u h)}.
     */
    static double landsAtLeastHoursLater(DoubleUnaryOperator cdf, int l) {
        return simpson(u -> 1 - cdf.applyAsDouble((l - u) * HOUR), 0, 1, 20_000);
    }

    /** Probability that it lands exactly {@code l} hours later. */
    static double landsHoursLater(DoubleUnaryOperator cdf, int l) {
        return landsAtLeastHoursLater(cdf, l) - landsAtLeastHoursLater(cdf, l + 1);
    }

    /**
     * Share of follow-ups that land on a later day than their origin, for origins spread over the
     * hours of the day in proportion to {@code traffic[h]} and uniformly within each hour.
     */
    static double landsOnALaterDay(DoubleUnaryOperator cdf, double[] traffic) {
        double total = 0;
        double later = 0;
        for (int h = 0; h < 24; h++) {
            total += traffic[h];
            later += traffic[h] * landsAtLeastHoursLater(cdf, 24 - h);
        }
        return later / total;
    }
}
