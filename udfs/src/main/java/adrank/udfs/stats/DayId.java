package adrank.udfs.stats;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The compact {@code yyyyMMdd} form days take in HBase cells and lists. */
public final class DayId {

    private static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;

    private DayId() {
    }

    public static String of(LocalDate day) {
        return day.format(COMPACT);
    }

    public static LocalDate parse(String compact) {
        try {
            return LocalDate.parse(compact, COMPACT);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("day must be yyyyMMdd, got '" + compact + "'", e);
        }
    }
}
