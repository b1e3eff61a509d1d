package adrank.udfs.stats;

import java.time.LocalDate;
import java.util.Collection;

/**
 * The daily fold of one key: day D's hour cells into the by-day history, then total-to-limit.
 *
 * <p>Pure and idempotent: the result depends only on the stored history, D's hour cells and the
 * window end, so folding the same day again (or after a late hour was re-run) gives the same
 * state as folding it once on time.
 */
public final class DailyFold {

    private DailyFold() {
    }

    /**
     * The folded state of one key.
     *
     * @param byDay the new by-day history (pruned to the window)
     * @param total total-to-limit, or null when the history is empty
     */
    public record Result(ByDay byDay, Total total) {
    }

    /**
     * Folds {@code day}.
     *
     * @param stored    the stored by-day history
     * @param day       the day being folded
     * @param hourCells every hour cell of {@code day} (may be empty: the key had no data that day,
     *                  and an existing entry for it is removed)
     * @param windowEnd the newest day folded anywhere so far, including {@code day}; the max-days
     *                  window ends here, so re-folding an older day never shifts the window back
     * @param limits    the limit rules
     */
    public static Result fold(ByDay stored, LocalDate day, Collection<Counters> hourCells, LocalDate windowEnd,
            Limits limits) {
        Counters sum = Counters.ZERO;
        for (Counters cell : hourCells) {
            sum = sum.plus(cell);
        }
        ByDay withDay = stored.with(day, sum);
        LocalDate end = latest(latest(windowEnd, day), withDay.newestDay());
        ByDay pruned = withDay.prunedBefore(end.minusDays(limits.maxDays() - 1L));
        return new Result(pruned, totalToLimit(pruned, limits));
    }

    /**
     * Sums the newest entries while the running impressions stay within
     * {@code limits.maxImpressions()}; the newest entry always counts. The history must already
     * be pruned to the max-days window.
     */
    public static Total totalToLimit(ByDay history, Limits limits) {
        if (history.isEmpty()) {
            return null;
        }
        Counters sum = Counters.ZERO;
        int days = 0;
        LocalDate oldest = null;
        for (DayStat entry : history.entries()) {
            long running = sum.imps() + entry.counters().imps();
            if (days > 0 && running > limits.maxImpressions()) {
                break;
            }
            sum = sum.plus(entry.counters());
            days++;
            oldest = entry.day();
        }
        return new Total(days, oldest, sum);
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
