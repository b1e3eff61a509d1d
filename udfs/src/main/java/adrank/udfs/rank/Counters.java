package adrank.udfs.rank;

/**
 * The counters of one key over some period (an hour, a day, a total), validated once.
 *
 * <p>Invariants: every field {@code >= 0}; {@code conversions <= clicks <= impressions};
 * revenue only with impressions; value only with conversions. A row that breaks one of them
 * is faulty, and the constructor says which values are in conflict.
 *
 * @param impressions   number of impressions
 * @param clicks        number of clicks, at most {@code impressions}
 * @param conversions   number of conversions, at most {@code clicks}
 * @param revenueMicros revenue in micros of the currency
 * @param valueMicros   advertiser-reported conversion value in micros
 */
public record Counters(long impressions, long clicks, long conversions, long revenueMicros,
                       long valueMicros) {

    public Counters {
        check(impressions, clicks, conversions, revenueMicros, valueMicros);
    }

    /**
     * Validates boxed values as they come from a table or a Spark row.
     *
     * @throws InvalidInputException naming the null, negative or inconsistent values
     */
    public static Counters of(Long impressions, Long clicks, Long conversions,
                              Long revenueMicros, Long valueMicros) {
        return new Counters(
            Inputs.count("impressions", impressions),
            Inputs.count("clicks", clicks),
            Inputs.count("conversions", conversions),
            Inputs.count("revenueMicros", revenueMicros),
            Inputs.count("valueMicros", valueMicros));
    }

    private static void check(long impressions, long clicks, long conversions,
                              long revenueMicros, long valueMicros) {
        Inputs.count("impressions", impressions);
        Inputs.count("clicks", clicks);
        Inputs.count("conversions", conversions);
        Inputs.count("revenueMicros", revenueMicros);
        Inputs.count("valueMicros", valueMicros);
        Inputs.atMost("clicks", clicks, "impressions", impressions);
        Inputs.atMost("conversions", conversions, "clicks", clicks);
        Rates.requireRevenueOnlyWithImpressions(revenueMicros, impressions);
        if (valueMicros > 0 && conversions == 0) {
            throw new InvalidInputException(
                "valueMicros (" + valueMicros + ") > 0 with conversions (0)");
        }
    }
}
