package adrank.loaders.hbase;

import adrank.udfs.stats.DayId;
import adrank.udfs.stats.HourId;
import java.time.LocalDate;

/** What a run processes: one hour ({@code hourly}) or one day ({@code daily}). */
public record RunUnit(String kind, LocalDate day, Integer hour) {

    public static final String HOUR = "hour";
    public static final String DAY = "day";

    public static RunUnit hour(HourId id) {
        return new RunUnit(HOUR, id.day(), id.hour());
    }

    public static RunUnit day(LocalDate day) {
        return new RunUnit(DAY, day, null);
    }

    public HourId hourId() {
        return new HourId(day, hour);
    }

    /** Ledger row-key prefix of every attempt of this unit. */
    String rowPrefix() {
        return kind + "|" + DayId.of(day) + "|" + (hour == null ? "" : (hour < 10 ? "0" : "") + hour + "|");
    }

    @Override
    public String toString() {
        return hour == null ? kind + " " + day : kind + " " + hourId();
    }
}
