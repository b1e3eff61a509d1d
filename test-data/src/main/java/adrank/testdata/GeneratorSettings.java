package adrank.testdata;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Everything that determines a generated data set. Two runs with equal settings produce
 * byte-identical files, whatever the number of threads.
 *
 * @param seed           root of every random stream (key universe, per-file event streams)
 * @param startDay       first partition day ({@code dt})
 * @param days           number of consecutive days, starting at {@code startDay}
 * @param hoursPerDay    the first N hours of each day are generated ({@code hr=00..N-1})
 * @param eventsPerHour  mean number of good event lines (imp + click + conv) per hour over a
 *                       full day; each hour gets {@link #targetEventsForHour(int)}
 * @param keys           number of distinct impression keys in the universe
 * @param adServers      files per hour, one per ad server ({@code adserver-01 .. NN})
 * @param badRowsPerHour malformed lines per hour, on top of the good events
 * @param zipfExponent   exponent of the Zipf law of the keys' traffic shares (0 = uniform)
 */
public record GeneratorSettings(
        long seed,
        LocalDate startDay,
        int days,
        int hoursPerDay,
        long eventsPerHour,
        int keys,
        int adServers,
        int badRowsPerHour,
        double zipfExponent) {

    public static final int MAX_DAYS = 3660;
    public static final long MAX_EVENTS_PER_HOUR = 1_000_000_000L;
    /** Per-key state is ~50 bytes, so this bounds the key universe to about half a gigabyte. */
    public static final int MAX_KEYS = 10_000_000;
    /** Keeps file names at two digits ({@code adserver-NN}). */
    public static final int MAX_AD_SERVERS = 99;
    public static final int MAX_BAD_ROWS_PER_HOUR = 10_000_000;
    public static final double MAX_ZIPF_EXPONENT = 10.0;

    /** Relative amplitude of the day/night swing of traffic around the mean. */
    static final double DIURNAL_AMPLITUDE = 0.6;
    /** Hour of day (fractional) with the most traffic; the trough is twelve hours earlier. */
    static final double DIURNAL_PEAK_HOUR = 15.5;

    public GeneratorSettings {
        Objects.requireNonNull(startDay, "startDay must not be null");
        requireRange("days", days, 1, MAX_DAYS);
        requireRange("hoursPerDay", hoursPerDay, 1, 24);
        requireRange("eventsPerHour", eventsPerHour, 0, MAX_EVENTS_PER_HOUR);
        requireRange("keys", keys, 1, MAX_KEYS);
        requireRange("adServers", adServers, 1, MAX_AD_SERVERS);
        requireRange("badRowsPerHour", badRowsPerHour, 0, MAX_BAD_ROWS_PER_HOUR);
        if (!(zipfExponent >= 0 && zipfExponent <= MAX_ZIPF_EXPONENT)) {
            throw new IllegalArgumentException(
                    "zipfExponent must be between 0 and " + MAX_ZIPF_EXPONENT + ", got " + zipfExponent);
        }
    }

    /** Seed 42, two days from 2024-05-01, 24 hours, 20,000 events/hour, 2,000 keys, 4 servers, no bad rows, Zipf 1.1. */
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(42L, LocalDate.of(2024, 5, 1), 2, 24, 20_000L, 2_000, 4, 0, 1.1);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The last generated day. */
    public LocalDate endDay() {
        return startDay.plusDays(days - 1L);
    }

    /**
     * Good event lines targeted for hour {@code hr} of any day: the mean scaled by a sine-shaped
     * day curve (trough before dawn, peak mid-afternoon). The curve averages exactly 1 over the
     * 24 hours, so a full day holds about {@code 24 * eventsPerHour} events. Each file may exceed
     * its share by up to two lines, because an impression's click and conversion are never cut off.
     */
    public long targetEventsForHour(int hr) {
        requireRange("hr", hr, 0, 23);
        double phase = 2 * Math.PI * (hr - DIURNAL_PEAK_HOUR) / 24;
        return Math.round(eventsPerHour * (1 + DIURNAL_AMPLITUDE * Math.cos(phase)));
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private long seed;
        private LocalDate startDay;
        private int days;
        private int hoursPerDay;
        private long eventsPerHour;
        private int keys;
        private int adServers;
        private int badRowsPerHour;
        private double zipfExponent;

        private Builder(GeneratorSettings from) {
            seed = from.seed;
            startDay = from.startDay;
            days = from.days;
            hoursPerDay = from.hoursPerDay;
            eventsPerHour = from.eventsPerHour;
            keys = from.keys;
            adServers = from.adServers;
            badRowsPerHour = from.badRowsPerHour;
            zipfExponent = from.zipfExponent;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder startDay(LocalDate value) {
            startDay = value;
            return this;
        }

        public Builder days(int value) {
            days = value;
            return this;
        }

        public Builder hoursPerDay(int value) {
            hoursPerDay = value;
            return this;
        }

        public Builder eventsPerHour(long value) {
            eventsPerHour = value;
            return this;
        }

        public Builder keys(int value) {
            keys = value;
            return this;
        }

        public Builder adServers(int value) {
            adServers = value;
            return this;
        }

        public Builder badRowsPerHour(int value) {
            badRowsPerHour = value;
            return this;
        }

        public Builder zipfExponent(double value) {
            zipfExponent = value;
            return this;
        }

        public GeneratorSettings build() {
            return new GeneratorSettings(
                    seed, startDay, days, hoursPerDay, eventsPerHour, keys, adServers, badRowsPerHour, zipfExponent);
        }
    }
}
