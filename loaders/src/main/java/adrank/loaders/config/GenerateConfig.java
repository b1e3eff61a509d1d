package adrank.loaders.config;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Defaults of {@code rank generate} ({@code generate.*}). The last four are the generator's
 * realism: share of CPA-billed ads, share of view-through conversions, median click lag and median
 * conversion lag; 0 switches each off.
 */
public record GenerateConfig(long seed, LocalDate startDay, int days, long eventsPerHour, int keys, int adServers,
        int badRowsPerHour, double cpaShare, double viewThroughShare, Duration clickLagMedian,
        Duration conversionLagMedian) {

    static GenerateConfig from(Settings s) {
        LocalDate start;
        try {
            start = LocalDate.parse(s.string("generate.start-day"));
        } catch (DateTimeParseException e) {
            throw new ConfigError("generate.start-day = \"" + s.string("generate.start-day") + "\" must be yyyy-MM-dd");
        }
        return new GenerateConfig(
                s.longIn("generate.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                start,
                s.intIn("generate.days", 1, 3660),
                s.longIn("generate.events-per-hour", 0, 1_000_000_000L),
                s.intIn("generate.keys", 1, 100_000_000),
                s.intIn("generate.ad-servers", 1, 1000),
                s.intIn("generate.bad-rows-per-hour", 0, 1_000_000),
                s.doubleIn("generate.cpa-share", 0, 0.6),
                s.doubleIn("generate.view-through-share", 0, 1),
                s.duration("generate.click-lag-median", Duration.ZERO, Duration.ofHours(1)),
                s.duration("generate.conversion-lag-median", Duration.ZERO, Duration.ofDays(2)));
    }
}
