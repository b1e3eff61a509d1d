package adrank.testdata;

import java.time.Duration;

/**
 * What a generation run wrote.
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
 * @param bytesCompressed total size of the gzip files
 * @param distinctKeys    keys with at least one impression in the generated hours
 * @param elapsed         wall time, including building the key universe
 */
public record GenerationSummary(
        int hours,
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
        int distinctKeys,
        Duration elapsed) {

    /** Good events per second of wall time. */
    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? events / seconds : 0;
    }
}
