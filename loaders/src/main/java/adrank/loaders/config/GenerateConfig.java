package adrank.loaders.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Defaults of {@code rank generate} ({@code generate.*}). */
public record GenerateConfig(long seed, LocalDate startDay, int days, long eventsPerHour, int keys, int adServers,
        int badRowsPerHour) {

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
                s.intIn("generate.bad-rows-per-hour", 0, 1_000_000));
    }
}
