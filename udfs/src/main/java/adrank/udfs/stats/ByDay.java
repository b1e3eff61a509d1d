package adrank.udfs.stats;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A key's by-day history: days with data, newest first, each with its counters.
 *
 * <p>Stored in HBase as six parallel space-delimited lists ({@code days imps clicks convs rev
 * val}), the layout the design fixes; {@link #encode()} and {@link #decode} convert.
 */
public record ByDay(List<DayStat> entries) implements Serializable {

    public static final ByDay EMPTY = new ByDay(List.of());

    public ByDay {
        entries = List.copyOf(entries);
        for (int i = 1; i < entries.size(); i++) {
            if (!entries.get(i - 1).day().isAfter(entries.get(i).day())) {
                throw new IllegalArgumentException("by-day entries must be strictly newest first, got "
                        + entries.get(i - 1).day() + " before " + entries.get(i).day());
            }
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The history with {@code day}'s entry replaced by {@code counters} (removed when null or zero). */
    public ByDay with(LocalDate day, Counters counters) {
        List<DayStat> result = new ArrayList<>(entries.size() + 1);
        boolean placed = counters == null || counters.isZero();
        for (DayStat entry : entries) {
            if (!placed && entry.day().isBefore(day)) {
                result.add(new DayStat(day, counters));
                placed = true;
            }
            if (!entry.day().equals(day)) {
                result.add(entry);
            }
        }
        if (!placed) {
            result.add(new DayStat(day, counters));
        }
        return new ByDay(result);
    }

    /** The history without entries older than {@code oldestKept}. */
    public ByDay prunedBefore(LocalDate oldestKept) {
        List<DayStat> result = new ArrayList<>(entries.size());
        for (DayStat entry : entries) {
            if (!entry.day().isBefore(oldestKept)) {
                result.add(entry);
            }
        }
        return result.size() == entries.size() ? this : new ByDay(result);
    }

    /** The newest day, or null when empty. */
    public LocalDate newestDay() {
        return entries.isEmpty() ? null : entries.get(0).day();
    }

    /** The six parallel lists in the order {@code days, imps, clicks, convs, rev, val}. */
    public List<String> encode() {
        StringBuilder days = new StringBuilder();
        StringBuilder imps = new StringBuilder();
        StringBuilder clicks = new StringBuilder();
        StringBuilder convs = new StringBuilder();
        StringBuilder rev = new StringBuilder();
        StringBuilder val = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            String sep = i == 0 ? "" : " ";
            DayStat e = entries.get(i);
            days.append(sep).append(DayId.of(e.day()));
            imps.append(sep).append(e.counters().imps());
            clicks.append(sep).append(e.counters().clicks());
            convs.append(sep).append(e.counters().convs());
            rev.append(sep).append(e.counters().revenueMicros());
            val.append(sep).append(e.counters().valueMicros());
        }
        return List.of(days.toString(), imps.toString(), clicks.toString(), convs.toString(), rev.toString(),
                val.toString());
    }

    /** Parses the six parallel lists (all empty or all null means no history). */
    public static ByDay decode(String days, String imps, String clicks, String convs, String rev, String val) {
        if (days == null || days.isBlank()) {
            return EMPTY;
        }
        String[] d = days.trim().split(" ");
        String[][] columns = {split(imps, d.length, "imps"), split(clicks, d.length, "clicks"),
            split(convs, d.length, "convs"), split(rev, d.length, "rev"), split(val, d.length, "val")};
        List<DayStat> result = new ArrayList<>(d.length);
        for (int i = 0; i < d.length; i++) {
            result.add(new DayStat(DayId.parse(d[i]), new Counters(Long.parseLong(columns[0][i]),
                    Long.parseLong(columns[1][i]), Long.parseLong(columns[2][i]), Long.parseLong(columns[3][i]),
                    Long.parseLong(columns[4][i]))));
        }
        return new ByDay(result);
    }

    private static String[] split(String list, int expected, String name) {
        String[] parts = list == null ? new String[0] : list.trim().split(" ");
        if (parts.length != expected) {
            throw new IllegalArgumentException("by-day list '" + name + "' has " + parts.length
                    + " entries but 'days' has " + expected);
        }
        return parts;
    }
}
