package adrank.udfs.stats;

import java.time.LocalDate;

/** An hour partition ({@code dt}, {@code hr}); its id {@code yyyyMMddHH} names its HBase cell. */
public record HourId(LocalDate day, int hour) implements Comparable<HourId>, java.io.Serializable {

    public HourId {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0..23, got " + hour);
        }
    }

    /** {@code yyyyMMddHH}, e.g. {@code 2026112105}. */
    public String id() {
        return DayId.of(day) + (hour < 10 ? "0" : "") + hour;
    }

    /** The partition's {@code hr} value, two digits. */
    public String hr() {
        return (hour < 10 ? "0" : "") + hour;
    }

    public static HourId parseId(String id) {
        if (id.length() != 10) {
            throw new IllegalArgumentException("hour id must be yyyyMMddHH, got '" + id + "'");
        }
        return new HourId(DayId.parse(id.substring(0, 8)), Integer.parseInt(id.substring(8)));
    }

    @Override
    public int compareTo(HourId other) {
        int byDay = day.compareTo(other.day);
        return byDay != 0 ? byDay : Integer.compare(hour, other.hour);
    }

    @Override
    public String toString() {
        return day + " " + hr();
    }
}
