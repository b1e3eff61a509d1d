package adrank.udfs.result;

import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.Today;
import adrank.udfs.stats.Total;
import java.io.Serializable;

/**
 * A key's stored statistics, as the result computation reads them.
 *
 * @param key   the encoded impression key
 * @param today today, or null
 * @param total total-to-limit, or null
 * @param byDay the by-day history
 * @param hasError whether the stored result row carries an error from an earlier run (so a
 *                 good result now must remove it)
 */
public record KeyState(String key, Today today, Total total, ByDay byDay, boolean hasError) implements Serializable {

    /** A key's state without a stored error. */
    public KeyState(String key, Today today, Total total, ByDay byDay) {
        this(key, today, total, byDay, false);
    }

    /** What the rank is computed from: total-to-limit plus today (today is not folded yet). */
    public Counters rankCounters() {
        Counters sum = total == null ? Counters.ZERO : total.counters();
        return today == null ? sum : sum.plus(today.counters());
    }

    /**
     * The period drift compares against the total: today when there is one, else the newest
     * by-day entry (right after {@code daily}, the day just folded); null when there is neither.
     */
    public Counters recent() {
        if (today != null) {
            return today.counters();
        }
        return byDay.isEmpty() ? null : byDay.entries().get(0).counters();
    }

    /** Newest entry of the by-day history, or null. */
    public DayStat newest() {
        return byDay.isEmpty() ? null : byDay.entries().get(0);
    }
}
