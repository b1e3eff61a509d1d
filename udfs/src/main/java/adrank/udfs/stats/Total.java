package adrank.udfs.stats;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * Total-to-limit: the sum of the newest by-day entries the limit rules let in.
 *
 * @param days      how many by-day entries were summed
 * @param oldestDay the oldest day summed
 * @param counters  the sums
 */
public record Total(int days, LocalDate oldestDay, Counters counters) implements Serializable {

    /** {@code "days oldestDay imps clicks convs rev val"}. */
    public String encode() {
        return days + " " + DayId.of(oldestDay) + " " + counters.encode();
    }

    public static Total decode(String encoded) {
        String[] parts = encoded.trim().split(" ", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("total must be 'days oldestDay counters', got '" + encoded + "'");
        }
        return new Total(Integer.parseInt(parts[0]), DayId.parse(parts[1]), Counters.decode(parts[2]));
    }
}
