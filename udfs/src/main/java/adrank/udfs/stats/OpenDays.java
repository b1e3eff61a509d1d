package adrank.udfs.stats;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A key's open days: days whose hours were applied but that are not folded into by-day yet,
 * newest first. Normally there is one, "today"; between the first hour of a new day and the
 * daily fold of the previous one there are two, and there are more only while a day's fold is
 * late. The rank counts total-to-limit plus every open day, so no applied hour is ever missing
 * from it and none is counted twice: a day is either open or folded, never both.
 *
 * <p>Stored in {@code s:today} as the open days' {@link Today#encode()} forms joined by
 * {@code ","}, newest first — one open day is exactly the older single-day format.
 */
public record OpenDays(List<Today> days) implements Serializable {

    public static final OpenDays NONE = new OpenDays(List.of());

    public OpenDays {
        days = List.copyOf(days);
        for (int i = 1; i < days.size(); i++) {
            if (!days.get(i - 1).day().isAfter(days.get(i).day())) {
                throw new IllegalArgumentException("open days must be strictly newest first, got "
                        + days.get(i - 1).day() + " before " + days.get(i).day());
            }
        }
    }

    public boolean isEmpty() {
        return days.isEmpty();
    }

    /** The newest open day ("today"), or null. */
    public Today newest() {
        return days.isEmpty() ? null : days.get(0);
    }

    /** The sum of every open day. */
    public Counters sum() {
        Counters sum = Counters.ZERO;
        for (Today day : days) {
            sum = sum.plus(day.counters());
        }
        return sum;
    }

    /** The counters of {@code day}, or null when it is not open. */
    public Counters of(LocalDate day) {
        for (Today open : days) {
            if (open.day().equals(day)) {
                return open.counters();
            }
        }
        return null;
    }

    /**
     * The open days with {@code day} set to the sum of its hour cells, or removed when it has
     * none left (a re-run removed the key's only hour of that day).
     */
    public OpenDays with(LocalDate day, Map<Integer, Counters> hourCells) {
        Today replacement = null;
        if (!hourCells.isEmpty()) {
            Counters sum = Counters.ZERO;
            for (Counters cell : hourCells.values()) {
                sum = sum.plus(cell);
            }
            replacement = new Today(day, hourCells.size(), sum);
        }
        List<Today> result = new ArrayList<>(days.size() + 1);
        boolean placed = replacement == null;
        for (Today open : days) {
            if (!placed && open.day().isBefore(day)) {
                result.add(replacement);
                placed = true;
            }
            if (!open.day().equals(day)) {
                result.add(open);
            }
        }
        if (!placed) {
            result.add(replacement);
        }
        return new OpenDays(result);
    }

    /** Without {@code day} (it is folded). */
    public OpenDays without(LocalDate day) {
        return of(day) == null ? this : new OpenDays(days.stream().filter(d -> !d.day().equals(day)).toList());
    }

    /** Without the days up to and including {@code day}: what the daily fold of {@code day} leaves open. */
    public OpenDays foldedThrough(LocalDate day) {
        List<Today> result = days.stream().filter(d -> d.day().isAfter(day)).toList();
        return result.size() == days.size() ? this : new OpenDays(result);
    }

    /** The stored form, or null when no day is open. */
    public String encode() {
        if (days.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Today day : days) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(day.encode());
        }
        return out.toString();
    }

    /** Parses the stored form (null or blank: none open). */
    public static OpenDays decode(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return NONE;
        }
        List<Today> days = new ArrayList<>();
        for (String part : encoded.split(",")) {
            days.add(Today.decode(part));
        }
        return new OpenDays(days);
    }
}
