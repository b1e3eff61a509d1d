package adrank.udfs.stats;

import java.io.Serializable;
import java.time.LocalDate;

/** One by-day entry: a day and its counters. */
public record DayStat(LocalDate day, Counters counters) implements Serializable {
}
