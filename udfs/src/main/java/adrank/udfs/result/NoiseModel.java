package adrank.udfs.result;

import java.io.Serializable;

/**
 * How noisy the revenue per impression of a noise segment's keys is (by default an ad's keys,
 * which share its billing), inferred from {@link RevenueDispersion}.
 *
 * <p>The billed event is the one that explains the revenue: among the events no key with revenue
 * lacks (fewest {@code impossible}), the one with the smallest mean dispersion term. That mean,
 * {@code c²}, is the squared coefficient of variation of one price. Under a compound Poisson
 * model of revenue given impressions, a key whose true CPM is θ has a per-impression variance of
 * its revenue of
 * <pre>
 *   θ² · c²               billed per impression (only the price varies)
 *   θ² · (1 + c²) / λ     billed per click or conversion, λ = such events per impression
 * </pre>
 * so its CPM over n impressions has variance {@code relativeVariance · θ² / n}. λ is the
 * segment's own rate (events / impressions): a thin key's own rate would be mostly zeros.
 *
 * @param billed           the inferred billed event
 * @param priceDispersion  c², the squared coefficient of variation of one price
 * @param eventsPerImpression λ, the segment's billed events per impression (1 for impressions)
 */
public record NoiseModel(BilledEvent billed, double priceDispersion, double eventsPerImpression)
        implements Serializable {

    /** Variance of one impression's revenue relative to the squared CPM: σ²/θ². */
    public double relativeVariance() {
        return billed == BilledEvent.IMPRESSION ? priceDispersion : (1 + priceDispersion) / eventsPerImpression;
    }

    /**
     * The model of a segment, or null when its sums tell nothing: no revenue on any key-day, or no
     * impressions (no rate of events per impression), or no billed event found.
     */
    public static NoiseModel of(RevenueDispersion sums) {
        BilledEvent best = null;
        double bestDispersion = Double.NaN;
        for (BilledEvent event : BilledEvent.values()) {
            long days = sums.days(event);
            if (days == 0) {
                continue;
            }
            double mean = sums.dispersion(event).value().divide(java.math.BigDecimal.valueOf(days), ExactSum.CONTEXT)
                    .doubleValue();
            if (best == null || sums.impossible(event) < sums.impossible(best)
                    || (sums.impossible(event) == sums.impossible(best) && mean < bestDispersion)) {
                best = event;
                bestDispersion = mean;
            }
        }
        long imps = sums.counters().imps();
        if (best == null || imps == 0) {
            return null;
        }
        long events = best.count(sums.counters());
        if (events == 0) {
            return null;
        }
        return new NoiseModel(best, bestDispersion, (double) events / imps);
    }

    /**
     * The model as text, {@code "<billed event> <c²> <λ>"}, the doubles in their shortest exact form, so that
     * {@link #decode} gives back an equal model (the incremental results read it back from the parents table).
     */
    public String encode() {
        return billed.name() + " " + priceDispersion + " " + eventsPerImpression;
    }

    /** The model {@link #encode} wrote. */
    public static NoiseModel decode(String text) {
        String[] parts = text.split(" ");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a noise model is '<billed event> <c2> <events per impression>', got '"
                    + text + "'");
        }
        return new NoiseModel(BilledEvent.valueOf(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
    }
}
