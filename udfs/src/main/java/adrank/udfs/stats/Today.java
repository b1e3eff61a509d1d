package adrank.udfs.stats;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * One open (applied but not yet folded) day's counters: the sum of that day's hour cells and how
 * many hours there are. A key's open days are {@link OpenDays}.
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
}
