package adrank.udfs.eval;

import adrank.udfs.rank.Inputs;

/**
 * Mergeable accumulator of a predicted CPM's errors against the next day's realised CPM:
 * impression-weighted MAE and RMSE, and the calibration predicted / realised revenue.
 *
 * <p>Per key: predicted CPM {@code p} (micros per thousand impressions, as of day D) and day
 * D+1's realised impressions {@code n} and revenue {@code rev}; realised CPM
 * {@code a = rev / n · 1000} (as {@link adrank.udfs.rank.Rates#cpm}).
 * <pre>
 *   MAE  = Σ n·|p − a| / Σ n
 *   RMSE = √( Σ n·(p − a)² / Σ n )
 *   calibration = Σ p·n/1000 / Σ rev        (predicted revenue / realised revenue)
 * </pre>
 * A key with {@code n = 0} has no realised CPM: it is out of MAE and RMSE and predicts no
 * revenue, but its realised revenue (lagged clicks or conversions of a CPC/CPA ad) is part of
 * {@code Σ rev}, because the CPMs being judged are learnt from totals that hold such revenue
 * too; it is also reported apart ({@link #keysWithoutImpressions},
 * {@link #revenueWithoutImpressions}) so a report can show the calibration without it.
 *
 * <p>Immutable: {@link #add} and {@link #merge} return new values, so it can be a Spark
 * aggregation buffer as it is.
 *
 * @param keys                      keys added
 * @param impressions               {@code Σ n}
 * @param sumAbsoluteErrors         {@code Σ n·|p − a|}
 * @param sumSquaredErrors          {@code Σ n·(p − a)²}
 * @param predictedRevenue          {@code Σ p·n / 1000}, micros
 * @param revenueMicros             {@code Σ rev} over all keys, exact
 * @param keysWithoutImpressions    keys with {@code n = 0}
 * @param revenueWithoutImpressions their {@code Σ rev}
 */
public record CpmErrors(long keys, long impressions, double sumAbsoluteErrors,
                        double sumSquaredErrors, double predictedRevenue, long revenueMicros,
                        long keysWithoutImpressions, long revenueWithoutImpressions)
    implements java.io.Serializable {

    /** No keys. */
    public static final CpmErrors EMPTY = new CpmErrors(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * @throws adrank.udfs.rank.InvalidInputException if a value is negative, NaN or infinite,
     *                                                or a part exceeds its whole
     */
    public CpmErrors {
        Inputs.count("keys", keys);
        Inputs.count("impressions", impressions);
        Inputs.nonNegative("sumAbsoluteErrors", sumAbsoluteErrors);
        Inputs.nonNegative("sumSquaredErrors", sumSquaredErrors);
        Inputs.nonNegative("predictedRevenue", predictedRevenue);
        Inputs.count("revenueMicros", revenueMicros);
        Inputs.count("keysWithoutImpressions", keysWithoutImpressions);
        Inputs.count("revenueWithoutImpressions", revenueWithoutImpressions);
        Checks.atMost("keysWithoutImpressions", keysWithoutImpressions, "keys", keys);
        Checks.atMost("revenueWithoutImpressions", revenueWithoutImpressions, "revenueMicros",
            revenueMicros);
    }

    /**
     * Adds one key.
     *
     * @param predictedCpm  the prediction as of day D, micros per thousand impressions
     * @param impressions   day D+1's impressions
     * @param revenueMicros day D+1's revenue
     * @throws adrank.udfs.rank.InvalidInputException on a null, negative, NaN or infinite value
     * @throws ArithmeticException                    if a {@code long} sum overflows
     */
    public CpmErrors add(Double predictedCpm, Long impressions, Long revenueMicros) {
        double p = Inputs.nonNegative("predictedCpm", predictedCpm);
        long n = Inputs.count("impressions", impressions);
        long rev = Inputs.count("revenueMicros", revenueMicros);
        long allRevenue = Math.addExact(this.revenueMicros, rev);
        if (n == 0) {
            return new CpmErrors(keys + 1, this.impressions, sumAbsoluteErrors, sumSquaredErrors,
                predictedRevenue, allRevenue, keysWithoutImpressions + 1,
                Math.addExact(revenueWithoutImpressions, rev));
        }
        double error = p - (double) rev / n * 1000.0;
        return new CpmErrors(keys + 1, Math.addExact(this.impressions, n),
            sumAbsoluteErrors + n * Math.abs(error), sumSquaredErrors + n * error * error,
            predictedRevenue + p * n / 1000.0, allRevenue, keysWithoutImpressions,
            revenueWithoutImpressions);
    }

    /**
     * Combines two partial accumulators (any order, equal up to rounding).
     *
     * @throws IllegalArgumentException if {@code other} is null
     * @throws ArithmeticException      if a {@code long} sum overflows
     */
    public CpmErrors merge(CpmErrors other) {
        Checks.other(other);
        return new CpmErrors(Math.addExact(keys, other.keys),
            Math.addExact(impressions, other.impressions),
            sumAbsoluteErrors + other.sumAbsoluteErrors, sumSquaredErrors + other.sumSquaredErrors,
            predictedRevenue + other.predictedRevenue,
            Math.addExact(revenueMicros, other.revenueMicros),
            Math.addExact(keysWithoutImpressions, other.keysWithoutImpressions),
            Math.addExact(revenueWithoutImpressions, other.revenueWithoutImpressions));
    }

    /** The metrics; see {@link Result}. */
    public Result result() {
        Double mae = impressions == 0 ? null : sumAbsoluteErrors / impressions;
        Double rmse = impressions == 0 ? null : Math.sqrt(sumSquaredErrors / impressions);
        Double calibration = revenueMicros == 0 ? null : predictedRevenue / revenueMicros;
        return new Result(keys, impressions, mae, rmse, calibration, predictedRevenue,
            revenueMicros, keysWithoutImpressions, revenueWithoutImpressions);
    }

    /**
     * The CPM metrics of the keys added.
     *
     * @param keys                      keys added
     * @param impressions               realised impressions (the weight of MAE and RMSE)
     * @param mae                       impression-weighted mean absolute error, micros CPM;
     *                                  null without impressions
     * @param rmse                      impression-weighted root mean squared error, micros CPM;
     *                                  null without impressions
     * @param calibration               predicted / realised revenue; null without realised
     *                                  revenue
     * @param predictedRevenue          predicted revenue, micros
     * @param revenueMicros             realised revenue, micros, keys without impressions
     *                                  included
     * @param keysWithoutImpressions    keys with no realised impressions (out of MAE/RMSE)
     * @param revenueWithoutImpressions their realised revenue (in {@code revenueMicros})
     */
    public record Result(long keys, long impressions, Double mae, Double rmse, Double calibration,
                         double predictedRevenue, long revenueMicros, long keysWithoutImpressions,
                         long revenueWithoutImpressions) implements java.io.Serializable {
    }
}
