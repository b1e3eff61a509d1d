package adrank.testdata;

import java.time.Duration;
import java.time.LocalDate;

/**
 * What one generated hour holds.
 *
 * @param events          good event lines: {@code impressions + clicks + conversions}
 * @param badRows         malformed lines, not counted in {@code events}
 * @param bytesCompressed total size of the hour's gzip files
 * @param elapsed         wall time spent on the hour
 */
public record HourSummary(
        LocalDate dt,
        int hr,
        int files,
        long events,
        long impressions,
        long clicks,
        long conversions,
        long badRows,
        long bytesCompressed,
        Duration elapsed) {
}
