package adrank.udfs.stats;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;

/**
 * What applying an hour, and folding a day, does to one key's state: the domain rules of late
 * data and aging, as pure functions. Writers only read the cells these need and write what
 * changed.
 *
 * <p>A day is <em>open</em> until its daily fold, then <em>folded</em>:
 * <ul>
 *   <li>an hour of an open day sets that day's open entry from the day's hour cells;</li>
 *   <li>an hour of a folded day (late data, or a re-run after the fold) re-folds that day at
 *       once: its by-day entry becomes the sum of its hour cells and total-to-limit is recomputed,
 *       exactly as {@code daily} would, and it never re-opens the day — so the state after the
 *       hour alone equals the on-time state, and no day is ever counted twice;</li>
 *   <li>the fold of day D moves D (and any older open day) out of the open days.</li>
 * </ul>
 */
public final class KeyDay {

    private KeyDay() {
    }

    /** Where the day of an applied hour stands. */
    public enum Phase {
        /** Not folded yet: the hour updates the day's open entry. */
        OPEN,
        /** Folded, and every hour cell of the day is still there: the hour re-folds the day. */
        FOLDED,
        /**
         * Folded, but some of the day's other hour cells may have expired: a re-fold from the cells
         * would lose them, so the hour cell is written and the day's by-day entry keeps its last
         * fold until all of the day's hours are re-run and the day is folded again.
         */
        FOLDED_CELLS_EXPIRED
    }

    /**
     * The phase of the day of an hour being applied.
     *
     * @param folded               whether the day has been folded (a daily run of it succeeded)
     * @param oldestOtherHourWrite when the oldest of the day's other applied hours was written
     *                             (epoch ms; {@link Long#MAX_VALUE} when there is none)
     * @param now                  the run's write time (epoch ms)
     * @param cellTtlMillis        how long hour cells live after they are written
     * @param marginMillis         safety margin before the expiry (cells are removed by compactions
     *                             some time after it; a run takes time)
     */
    public static Phase phase(boolean folded, long oldestOtherHourWrite, long now, long cellTtlMillis,
            long marginMillis) {
        if (!folded) {
            return Phase.OPEN;
        }
        boolean mayHaveExpired = oldestOtherHourWrite != Long.MAX_VALUE
                && now - oldestOtherHourWrite > cellTtlMillis - marginMillis;
        return mayHaveExpired ? Phase.FOLDED_CELLS_EXPIRED : Phase.FOLDED;
    }

    /**
     * A key's state after a change.
     *
     * @param open   the open days
     * @param byDay  the by-day history
     * @param total  total-to-limit, null without history
     */
    public record State(OpenDays open, ByDay byDay, Total total) {

        /**
         * Whether the key has no data left at all (no history, nothing open): it leaves the table. A
         * total stands for a history (writers of an open day read the small total, not the lists).
         */
        public boolean isEmpty() {
            return open.isEmpty() && byDay.isEmpty() && total == null;
        }
    }

    /**
     * The state after an hour of {@code day} was applied.
     *
     * @param stored    the key's stored state
     * @param day       the hour's day
     * @param phase     where {@code day} stands, see {@link #phase}
     * @param dayCells  every hour cell of {@code day} after the run (hour of day → counters)
     * @param windowEnd the newest folded day of the schema (the max-days window ends there)
     * @param limits    the limit rules
     */
    public static State afterHour(State stored, LocalDate day, Phase phase, Map<Integer, Counters> dayCells,
            LocalDate windowEnd, Limits limits) {
        if (phase == Phase.OPEN) {
            return new State(stored.open().with(day, dayCells), stored.byDay(), stored.total());
        }
        if (phase == Phase.FOLDED_CELLS_EXPIRED) {
            return new State(stored.open().without(day), stored.byDay(), stored.total());
        }
        DailyFold.Result refolded = DailyFold.fold(stored.byDay(), day, dayCells.values(), windowEnd, limits);
        return new State(stored.open().without(day), refolded.byDay(), refolded.total());
    }

    /**
     * The state after the daily fold of {@code day}: its hour cells into by-day, total-to-limit
     * recomputed, and {@code day} and older days no longer open.
     *
     * @param dayCells  every hour cell of {@code day}
     * @param windowEnd the newest day folded anywhere so far, including {@code day}
     */
    public static State afterFold(State stored, LocalDate day, Collection<Counters> dayCells, LocalDate windowEnd,
            Limits limits) {
        DailyFold.Result folded = DailyFold.fold(stored.byDay(), day, dayCells, windowEnd, limits);
        return new State(stored.open().foldedThrough(day), folded.byDay(), folded.total());
    }
}
