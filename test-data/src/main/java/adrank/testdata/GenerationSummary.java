package adrank.testdata;

import java.time.Duration;

/**
 * What a generation run wrote.
 *
 * @param events          good event lines: {@code impressions + clicks + conversions}
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
