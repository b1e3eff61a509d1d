package adrank.testdata;

import java.time.Duration;
import java.time.LocalDate;

/**
 * What one generated hour holds.
 *
 * @param events          good event lines: {@code impressions + clicks + conversions}
 * @param lateClicks      clicks whose impression was in an earlier hour (their {@code request_id}
 *                        matches no impression of the hour)
 * @param lateConversions conversions whose click or impression was in an earlier hour (their
 *                        {@code request_id} matches nothing earlier in the file)
 * @param earlierDayConversions of the late conversions, those whose click or impression was on an
 *                        earlier day
 * @param viewThroughConversions conversions that follow no click, on time or late
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
        long lateClicks,
        long lateConversions,
        long earlierDayConversions,
        long viewThroughConversions,
        long badRows,
        long bytesCompressed,
        Duration elapsed) {
}
