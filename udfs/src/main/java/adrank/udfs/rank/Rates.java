package adrank.udfs.rank;

/**
 * Raw rates of one key: CPM, CTR, CVR.
 *
 * <h2>Conventions (shared by every pure function in {@code adrank.udfs})</h2>
 * <ul>
 *   <li>Counters and money arrive boxed ({@link Long}) so that a SQL NULL reaching a function
 *       is reported by name instead of as an anonymous {@link NullPointerException}.</li>
 *   <li>A result that is <em>undefined</em> — a rate with a zero denominator — is
 *       {@code null} (a nullable {@link Double}), never {@code NaN}: null maps to SQL NULL
 *       and cannot silently flow through arithmetic as NaN would. A function whose result is
 *       always defined returns a primitive {@code double}.</li>
 *   <li>Faulty data raises {@link InvalidInputException}; faulty configuration
 *       {@link IllegalArgumentException}.</li>
 *   <li>Money stays integer micros; CPM is micros per thousand impressions (a double).</li>
 * </ul>
 */
public final class Rates {

    private Rates() {
    }

    /**
     * {@code cpm = revenueMicros / impressions * 1000}, in micros per thousand impressions.
     *
     * @return the CPM, or {@code null} when there are no impressions (a period may hold only
     *         lagged clicks or conversions, and with CPC/CPA billing their revenue: there is no
     *         CPM of that period, not an infinite one)
     * @throws InvalidInputException on null or negative input
     */
    public static Double cpm(Long revenueMicros, Long impressions) {
        long rev = Inputs.count("revenueMicros", revenueMicros);
        long imps = Inputs.count("impressions", impressions);
        if (imps == 0) {
            return null;
        }
        return (double) rev / imps * 1000.0;
    }

    /**
     * {@code ctr = clicks / impressions}.
     *
     * @return clicks per impression, or {@code null} when there are no impressions; above 1 in
     *         a period that got the lagged clicks of earlier impressions
     * @throws InvalidInputException on null or negative input
     */
    public static Double ctr(Long clicks, Long impressions) {
        long c = Inputs.count("clicks", clicks);
        long imps = Inputs.count("impressions", impressions);
        return imps == 0 ? null : (double) c / imps;
    }

    /**
     * {@code cvr = conversions / clicks} (conversions per click).
     *
     * @return conversions per click, or {@code null} when there are no clicks; a rate, not a
     *         probability: above 1 where lagged or view-through conversions outnumber the clicks
     * @throws InvalidInputException on null or negative input
     */
    public static Double cvr(Long conversions, Long clicks) {
        long conv = Inputs.count("conversions", conversions);
        long c = Inputs.count("clicks", clicks);
        return c == 0 ? null : (double) conv / c;
    }
}
