package adrank.udfs.eval;

import adrank.udfs.result.KeyState;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DailyFold;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.Limits;
import adrank.udfs.stats.OpenDays;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A key's state as it stood right after the daily fold of day D, rebuilt from today's stored
 * by-day history, and what day D+1 then realised: the two halves of a next-day backtest.
 *
 * <p><b>As of D.</b> After {@code daily} for D (and before any hour of D+1) a key held no open
 * day, the by-day entries of days ≤ D within the max-days window ending at D
 * ({@code [D − maxDays + 1, D]}, {@link DailyFold#fold} prunes the rest), and the total-to-limit
 * of those entries ({@link DailyFold#totalToLimit}: newest first while the impressions stay
 * within {@code maxImpressions}, the newest always). {@link #history} rebuilds exactly that from
 * the stored history, whose entries newer than D are simply dropped. Two limits of the rebuild:
 * entries the store has pruned since (older than its own window) are gone, so a D more than
 * {@code maxDays} before the newest fold sees a shortened history; and the entries of days ≤ D
 * hold their counters as last folded, with late data (lagged conversions re-folded into day D)
 * included, which the real run of D could not yet have seen.
 *
 * <p><b>Realised D+1.</b> The key's by-day entry for D+1, or zero counters when it has none (a
 * key with no D+1 entry realised nothing).
 */
public final class AsOfDay {

    private AsOfDay() {
    }

    /**
     * The key's state as of the end of {@code day}, or null when it had no history then (no
     * by-day entry in the window ending at {@code day}): such a key had no rank as of D and is not
     * scored.
     *
     * @param key    the encoded key
     * @param stored the key's stored by-day history (newest first)
     * @param day    D
     * @param limits the limit rules in force
     */
    public static KeyState history(String key, ByDay stored, LocalDate day, Limits limits) {
        LocalDate oldestKept = day.minusDays(limits.maxDays() - 1L);
        List<DayStat> kept = new ArrayList<>();
        for (DayStat entry : stored.entries()) {
            if (entry.day().isAfter(day)) {
                continue;
            }
            if (entry.day().isBefore(oldestKept)) {
                break; // newest first: every later entry is older still
            }
            kept.add(entry);
        }
        if (kept.isEmpty()) {
            return null;
        }
        ByDay asOf = kept.size() == stored.entries().size() ? stored : new ByDay(kept);
        return new KeyState(key, OpenDays.NONE, DailyFold.totalToLimit(asOf, limits), asOf);
    }

    /** Day {@code day}'s counters in the stored history, zero when it has no entry. */
    public static Counters realised(ByDay stored, LocalDate day) {
        for (DayStat entry : stored.entries()) {
            if (entry.day().equals(day)) {
                return entry.counters();
            }
            if (entry.day().isBefore(day)) {
                break;
            }
        }
        return Counters.ZERO;
    }
}
