package adrank.udfs.result;

import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * How well each event type explains the revenue of the keys of a noise segment (by default an
 * ad, whose billing all its keys share), day by day: the sums {@link NoiseModel} infers the billed
 * event and the price dispersion from. Exact and mergeable in any order.
 *
 * <p>For a key with revenue {@code R} and {@code E} events of type e over its by-day history, the
 * price per event is {@code p = R / E}; each day d with events or revenue contributes
 * {@code (r_d − E_d·p)² / (p²·max(E_d, 1))}. If e is the billed event, revenue is {@code E_d}
 * prices of mean p, the term estimates the squared coefficient of variation of one price (the
 * auction's noise) and its mean is small; for any other event the revenue does not follow
 * {@code E_d} and the terms are large. A key with revenue but no event of type e at all cannot be
 * billed on e: it counts as {@code impossible}.
 *
 * <p>Keys without revenue add only their counters (the event rates of the segment).
 */
public final class RevenueDispersion implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int TYPES = BilledEvent.values().length;

    public static final RevenueDispersion EMPTY =
            new RevenueDispersion(new ExactSum[] {ExactSum.ZERO, ExactSum.ZERO, ExactSum.ZERO}, new long[TYPES],
                    new long[TYPES], Counters.ZERO);

    private final ExactSum[] dispersion;
    private final long[] days;
    private final long[] impossible;
    private final Counters counters;

    private RevenueDispersion(ExactSum[] dispersion, long[] days, long[] impossible, Counters counters) {
        this.dispersion = dispersion;
        this.days = days;
        this.impossible = impossible;
        this.counters = counters;
    }

    /** One key's contribution from its by-day entries (the days its rank counters sum). */
    public static RevenueDispersion of(List<DayStat> history) {
        Counters total = Counters.ZERO;
        for (DayStat day : history) {
            total = total.plus(day.counters());
        }
        ExactSum[] dispersion = {ExactSum.ZERO, ExactSum.ZERO, ExactSum.ZERO};
        long[] days = new long[TYPES];
        long[] impossible = new long[TYPES];
        if (total.revenueMicros() > 0) {
            for (BilledEvent event : BilledEvent.values()) {
                int e = event.ordinal();
                long events = event.count(total);
                if (events == 0) {
                    impossible[e] = 1;
                    continue;
                }
                double price = (double) total.revenueMicros() / events;
                for (DayStat day : history) {
                    long dayEvents = event.count(day.counters());
                    long revenue = day.counters().revenueMicros();
                    if (dayEvents == 0 && revenue == 0) {
                        continue;
                    }
                    double residual = (revenue - dayEvents * price) / price;
                    dispersion[e] = dispersion[e].plus(residual * residual / Math.max(dayEvents, 1));
                    days[e]++;
                }
            }
        }
        return new RevenueDispersion(dispersion, days, impossible, total);
    }

    /** The exact sum of two partial sums. */
    public RevenueDispersion plus(RevenueDispersion o) {
        ExactSum[] d = new ExactSum[TYPES];
        long[] n = new long[TYPES];
        long[] x = new long[TYPES];
        for (int e = 0; e < TYPES; e++) {
            d[e] = dispersion[e].plus(o.dispersion[e]);
            n[e] = Math.addExact(days[e], o.days[e]);
            x[e] = Math.addExact(impossible[e], o.impossible[e]);
        }
        return new RevenueDispersion(d, n, x, counters.plus(o.counters));
    }

    /** Summed dispersion terms for the event. */
    public ExactSum dispersion(BilledEvent event) {
        return dispersion[event.ordinal()];
    }

    /** Key-days that contributed a term for the event. */
    public long days(BilledEvent event) {
        return days[event.ordinal()];
    }

    /** Keys with revenue but no event of this type. */
    public long impossible(BilledEvent event) {
        return impossible[event.ordinal()];
    }

    /** The segment's summed counters. */
    public Counters counters() {
        return counters;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevenueDispersion r && Arrays.equals(dispersion, r.dispersion) && Arrays.equals(days, r.days)
                && Arrays.equals(impossible, r.impossible) && counters.equals(r.counters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(days) * 31 + counters.hashCode();
    }

    @Override
    public String toString() {
        return "RevenueDispersion[dispersion=" + Arrays.toString(dispersion) + ", days=" + Arrays.toString(days)
                + ", impossible=" + Arrays.toString(impossible) + ", counters=" + counters + "]";
    }
}
