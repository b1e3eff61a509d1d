package adrank.udfs.result;

import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.OpenDays;
import adrank.udfs.stats.Total;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * A key's stored statistics, as the result computation reads them.
 *
 * @param key   the encoded impression key
 * @param open  the open (not yet folded) days, normally just today
 * @param total total-to-limit, or null
 * @param byDay the by-day history
 * @param hasError whether the stored result row carries an error from an earlier run (so a
 *                 good result now must remove it)
 */
public record KeyState(String key, OpenDays open, Total total, ByDay byDay, boolean hasError) implements Serializable {

    public KeyState {
        if (open == null) {
            open = OpenDays.NONE;
        }
    }

    /** A key's state without a stored error. */
    public KeyState(String key, OpenDays open, Total total, ByDay byDay) {
        this(key, open, total, byDay, false);
    }

    /** What the rank is computed from: total-to-limit plus every open day (not folded yet). */
    public Counters rankCounters() {
        Counters sum = total == null ? Counters.ZERO : total.counters();
        return open.isEmpty() ? sum : sum.plus(open.sum());
    }

    /**
     * The days behind {@link #rankCounters()}, one entry per day: the by-day entries the total
     * counts (its {@code days} newest), then every open day. Their counters sum to the rank counters.
     */
    public java.util.List<DayStat> rankDays() {
        java.util.List<DayStat> days = new java.util.ArrayList<>();
        int counted = total == null ? 0 : total.days();
        for (DayStat entry : byDay.entries()) {
            if (days.size() == counted) {
                break;
            }
            days.add(entry);
        }
        for (adrank.udfs.stats.Today today : open.days()) {
            days.add(new DayStat(today.day(), today.counters()));
        }
        return days;
    }

    /**
     * The key's counters of the period a run just applied: the open day {@code day}, or its
     * by-day entry once folded, or zero when the key had no activity in it (an idle key).
     */
    public Counters periodCounters(LocalDate day) {
        Counters open = this.open.of(day);
        if (open != null) {
            return open;
        }
        for (DayStat entry : byDay.entries()) {
            if (entry.day().equals(day)) {
                return entry.counters();
            }
            if (entry.day().isBefore(day)) {
                break;
            }
        }
        return Counters.ZERO;
    }

    /** Whether the key has no data at all (nothing open, no history). */
    public boolean isEmpty() {
        return open.isEmpty() && byDay.isEmpty();
    }
}
