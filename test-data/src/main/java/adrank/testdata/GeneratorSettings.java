package adrank.testdata;

import java.time.Duration;
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
 * @param cpaShare       share of ads billed per conversion (CPA: revenue on {@code conv} lines), beside
 *                       the {@value #CPC_SHARE} billed per click; the rest are billed per impression. At
 *                       most {@code 1 - CPC_SHARE}; 0 = no CPA ads
 * @param viewThroughShare share of every key's conversions that follow no click (view-through,
 *                       counted from the impression); 0 = every conversion follows a click
 * @param clickLagMedian median delay from an impression to its click, log-normal with sigma
 *                       {@value #CLICK_LAG_SIGMA} truncated at {@link #CLICK_LAG_MAX}: most clicks come
 *                       within a minute, a tail of tens of minutes, and clicks of impressions late in an
 *                       hour land in the next. {@link Duration#ZERO} = tidy: a uniform delay under a
 *                       minute, clamped to the impression's hour
 * @param conversionLagMedian median delay from a click (or, view-through, from the impression) to
 *                       the conversion, log-normal with sigma {@value #CONVERSION_LAG_SIGMA} truncated at
 *                       {@link #CONVERSION_LAG_MAX}: most conversions land hours later, some days later.
 *                       {@link Duration#ZERO} = tidy: a uniform delay under 15 minutes, within the hour
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
        double zipfExponent,
        double cpaShare,
        double viewThroughShare,
        Duration clickLagMedian,
        Duration conversionLagMedian) {

    public static final int MAX_DAYS = 3660;
    public static final long MAX_EVENTS_PER_HOUR = 1_000_000_000L;
    /** Per-key state is ~50 bytes, so this bounds the key universe to about half a gigabyte. */
    public static final int MAX_KEYS = 10_000_000;
    /** Keeps file names at two digits ({@code adserver-NN}). */
    public static final int MAX_AD_SERVERS = 99;
    public static final int MAX_BAD_ROWS_PER_HOUR = 10_000_000;
    public static final double MAX_ZIPF_EXPONENT = 10.0;
    /** Share of ads billed per click (fixed; CPA and CPM ads share the rest). */
    public static final double CPC_SHARE = 0.4;
    /** Spread (sigma of the logarithm) of the click lag. */
    public static final double CLICK_LAG_SIGMA = 1.5;
    /** Longest click lag; longer draws are drawn again. */
    public static final Duration CLICK_LAG_MAX = Duration.ofDays(1);
    public static final Duration MAX_CLICK_LAG_MEDIAN = Duration.ofHours(1);
    /** Spread (sigma of the logarithm) of the conversion lag. */
    public static final double CONVERSION_LAG_SIGMA = 1.5;
    /** Longest conversion lag (a typical attribution window); longer draws are drawn again. */
    public static final Duration CONVERSION_LAG_MAX = Duration.ofDays(10);
    public static final Duration MAX_CONVERSION_LAG_MEDIAN = Duration.ofDays(2);

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
        requireRange("zipfExponent", zipfExponent, 0, MAX_ZIPF_EXPONENT);
        requireRange("cpaShare", cpaShare, 0, 1 - CPC_SHARE);
        requireRange("viewThroughShare", viewThroughShare, 0, 1);
        requireRange("clickLagMedian", clickLagMedian, MAX_CLICK_LAG_MEDIAN);
        requireRange("conversionLagMedian", conversionLagMedian, MAX_CONVERSION_LAG_MEDIAN);
    }

    /**
     * Seed 42, two days from 2024-05-01, 24 hours, 20,000 events/hour, 2,000 keys, 4 servers, no bad
     * rows, Zipf 1.1; production-like: 30 % of ads CPA-billed, 10 % of conversions view-through,
     * click lag median 40 s, conversion lag median 3 h.
     */
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(42L, LocalDate.of(2024, 5, 1), 2, 24, 20_000L, 2_000, 4, 0, 1.1,
                0.3, 0.1, Duration.ofSeconds(40), Duration.ofHours(3));
    }

    /**
     * These settings with every realism feature off: no CPA ads, no view-through conversions, clicks
     * and conversions in their impression's hour and file. What the generator wrote before lags.
     */
    public GeneratorSettings tidy() {
        return toBuilder().cpaShare(0).viewThroughShare(0).clickLagMedian(Duration.ZERO)
                .conversionLagMedian(Duration.ZERO).build();
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
     * 24 hours, so a full day holds about {@code 24 * eventsPerHour} events. The generator writes
     * a fixed number of impressions per hour, this target divided by the long-run lines per
     * impression (1 + clicks + conversions per impression); clicks and conversions, including late
     * ones of earlier hours, are random, so an hour holds about this many lines, not exactly.
     */
    public long targetEventsForHour(int hr) {
        return Math.round(meanEventsForHour(hr));
    }

    /** {@link #targetEventsForHour(int)} before rounding. */
    double meanEventsForHour(int hr) {
        requireRange("hr", hr, 0, 23);
        double phase = 2 * Math.PI * (hr - DIURNAL_PEAK_HOUR) / 24;
        return eventsPerHour * (1 + DIURNAL_AMPLITUDE * Math.cos(phase));
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requireRange(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    field + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requireRange(String field, Duration value, Duration max) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    field + " must be between 0 and " + max + ", got " + value);
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
        private double cpaShare;
        private double viewThroughShare;
        private Duration clickLagMedian;
        private Duration conversionLagMedian;

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
            cpaShare = from.cpaShare;
            viewThroughShare = from.viewThroughShare;
            clickLagMedian = from.clickLagMedian;
            conversionLagMedian = from.conversionLagMedian;
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

        public Builder cpaShare(double value) {
            cpaShare = value;
            return this;
        }

        public Builder viewThroughShare(double value) {
            viewThroughShare = value;
            return this;
        }

        public Builder clickLagMedian(Duration value) {
            clickLagMedian = value;
            return this;
        }

        public Builder conversionLagMedian(Duration value) {
            conversionLagMedian = value;
            return this;
        }

        public GeneratorSettings build() {
            return new GeneratorSettings(seed, startDay, days, hoursPerDay, eventsPerHour, keys, adServers,
                    badRowsPerHour, zipfExponent, cpaShare, viewThroughShare, clickLagMedian, conversionLagMedian);
        }
    }
}
