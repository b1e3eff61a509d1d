package adrank.udfs.vpc;

import adrank.udfs.rank.Inputs;

/**
 * Mergeable accumulator of a segment's per-key conversion rates {@code r_i = conv_i / clicks_i}
 * for the method-of-moments prior ({@link EmpiricalBayes#gammaPrior(RateMoments, PriorGuard)}).
 *
 * <p>Holds the count, mean and sum of squared deviations of the rates (Welford's running
 * form; {@link #merge} is the pairwise update of Chan, Golub &amp; LeVeque, 1979) — stable where
 * the textbook {@code Σr² − n·mean²} cancels — and the sum of {@code 1 / clicks_i}, which the
 * prior needs to subtract the binomial noise of small keys. Immutable: {@link #add} and
 * {@link #merge} return new values, so it can be a Spark aggregation buffer as it is.
 *
 * <p>Keys without clicks carry no rate and are skipped.
 *
 * @param keys             number of keys with at least one click
 * @param mean             mean of their rates (0 when {@code keys == 0})
 * @param sumSquares       {@code Σ (r_i − mean)²}
 * @param sumInverseClicks {@code Σ 1 / clicks_i}
 */
public record RateMoments(long keys, double mean, double sumSquares, double sumInverseClicks) implements java.io.Serializable {

    /** No keys. */
    public static final RateMoments EMPTY = new RateMoments(0, 0, 0, 0);

    public RateMoments {
        Inputs.count("keys", keys);
        Inputs.nonNegative("mean", mean);
        Inputs.nonNegative("sumSquares", sumSquares);
        Inputs.nonNegative("sumInverseClicks", sumInverseClicks);
    }

    /**
     * Adds one key's counters.
     *
     * @throws adrank.udfs.rank.InvalidInputException on null or negative counters (more
     *                                                conversions than clicks is a valid rate)
     */
    public RateMoments add(Long conversions, Long clicks) {
        long conv = Inputs.count("conversions", conversions);
        long c = Inputs.count("clicks", clicks);
        if (c == 0) {
            return this;
        }
        double r = (double) conv / c;
        long n = keys + 1;
        double delta = r - mean;
        double newMean = mean + delta / n;
        return new RateMoments(n, newMean, sumSquares + delta * (r - newMean),
            sumInverseClicks + 1.0 / c);
    }

    /** Combines two partial accumulators (order does not matter up to rounding). */
    public RateMoments merge(RateMoments other) {
        if (other.keys == 0) {
            return this;
        }
        if (keys == 0) {
            return other;
        }
        long n = keys + other.keys;
        double delta = other.mean - mean;
        double newMean = mean + delta * other.keys / n;
        double newSquares = sumSquares + other.sumSquares
            + delta * delta * ((double) keys * other.keys / n);
        return new RateMoments(n, newMean, newSquares, sumInverseClicks + other.sumInverseClicks);
    }

    /**
     * Sample variance of the rates, {@code Σ (r_i − mean)² / (keys − 1)}.
     *
     * @return the variance, or {@code null} with fewer than two keys
     */
    public Double variance() {
        return keys < 2 ? null : sumSquares / (keys - 1);
    }

    /**
     * Mean of {@code 1 / clicks_i}.
     *
     * @return the mean, or {@code null} without keys
     */
    public Double meanInverseClicks() {
        return keys == 0 ? null : sumInverseClicks / keys;
    }
}
