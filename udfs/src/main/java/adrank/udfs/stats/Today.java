package adrank.udfs.stats;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Map;

/**
 * The current day's counters: the sum of that day's hour cells and how many hours there are.
 */
public record Today(LocalDate day, int hours, Counters counters) implements Serializable {

    /** {@code "yyyyMMdd hours imps clicks convs rev val"}. */
    public String encode() {
        return DayId.of(day) + " " + hours + " " + counters.encode();
    }

    public static Today decode(String encoded) {
        String[] parts = encoded.trim().split(" ", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("today must be 'yyyyMMdd hours counters', got '" + encoded + "'");
        }
        return new Today(DayId.parse(parts[0]), Integer.parseInt(parts[1]), Counters.decode(parts[2]));
    }

    /** What an hourly run does to a key's today cell. */
    public sealed interface Update permits Keep, Set, Clear {
    }

    /** Leave today as it is. */
    public record Keep() implements Update {
    }

    /** Replace today. */
    public record Set(Today today) implements Update {
    }

    /** Remove today (the day has no hour cells left). */
    public record Clear() implements Update {
    }

    private static final Keep KEEP = new Keep();
    private static final Clear CLEAR = new Clear();

    /**
     * Recomputes today after an hourly run for {@code runDay}.
     *
     * <p>Today always describes the newest day seen: a (late) hour of a day older than the
     * stored today leaves it alone, so re-running yesterday's hour after today's first hour
     * never moves today back. Otherwise today becomes the sum of {@code runDay}'s hour cells, or
     * is cleared when that day has none left (a re-run removed the key's only hour).
     *
     * @param runDay      the day of the hour that ran
     * @param storedDay   the day of the stored today, or {@code null} when there is none
     * @param hourCells   every hour cell of {@code runDay} as it is after the run (hour → counters)
     */
    public static Update afterHour(LocalDate runDay, LocalDate storedDay, Map<Integer, Counters> hourCells) {
        if (storedDay != null && runDay.isBefore(storedDay)) {
            return KEEP;
        }
        if (hourCells.isEmpty()) {
            return runDay.equals(storedDay) ? CLEAR : KEEP;
        }
        Counters sum = Counters.ZERO;
        for (Counters cell : hourCells.values()) {
            sum = sum.plus(cell);
        }
        return new Set(new Today(runDay, hourCells.size(), sum));
    }

    /**
     * Whether the daily fold of {@code foldedDay} resets a stored today of {@code storedDay}:
     * yes when it describes the folded day or an older one (no longer current), no when it
     * already describes a newer day.
     */
    public static boolean resetByDaily(LocalDate foldedDay, LocalDate storedDay) {
        return storedDay != null && !storedDay.isAfter(foldedDay);
    }
}
