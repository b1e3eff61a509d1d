package adrank.loaders.metrics;

import adrank.udfs.event.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What one run pushes: its kind and schema, how it ended, and the gauges it has values for. */
public final class RunMetrics {

    /** What ran; the Pushgateway job is {@code <metrics.job-prefix>_<kind>}. */
    public enum Kind {
        HOURLY, DAILY, PUBLISH, BACKFILL, ETL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String schema;
    private final boolean succeeded;
    private final Map<Metric, Map<String, Double>> values = new EnumMap<>(Metric.class);

    private RunMetrics(Kind kind, String schema, boolean succeeded, Instant endedAt, Duration duration) {
        this.kind = kind;
        this.schema = schema;
        this.succeeded = succeeded;
        set(Metric.SUCCESS, succeeded ? 1 : 0);
        set(Metric.DURATION, duration.toMillis() / 1000.0);
        set(Metric.END, seconds(endedAt));
        if (succeeded) {
            set(Metric.LAST_SUCCESS, seconds(endedAt));
        }
    }

    /** A run of {@code kind} in {@code schema} that ended at {@code endedAt} after {@code duration}. */
    public static RunMetrics of(Kind kind, String schema, boolean succeeded, Instant endedAt, Duration duration) {
        return new RunMetrics(kind, schema, succeeded, endedAt, duration);
    }

    /** The hour or day processed, by its start (UTC). */
    public RunMetrics unit(LocalDate day, Integer hour) {
        return set(Metric.UNIT, seconds(day.atTime(hour == null ? 0 : hour, 0).toInstant(ZoneOffset.UTC)));
    }

    /** Rows read and quarantined per reason; every reason is pushed, those without rows as 0. */
    public RunMetrics rows(long in, Map<String, Long> quarantinedByReason) {
        set(Metric.ROWS_IN, in);
        Map<String, Double> reasons = new TreeMap<>();
        for (RejectReason reason : RejectReason.values()) {
            reasons.put(reason.code(), 0.0);
        }
        quarantinedByReason.forEach((reason, rows) -> reasons.put(reason, rows.doubleValue()));
        values.put(Metric.ROWS_QUARANTINED, reasons);
        return this;
    }

    /** A gauge without labels. */
    public RunMetrics set(Metric metric, double value) {
        if (metric.label() != null) {
            throw new IllegalArgumentException(metric + " has the label " + metric.label());
        }
        values.put(metric, Map.of("", value));
        return this;
    }

    /** A gauge with its label ({@link Metric#label()}) set to {@code labelValue}. */
    public RunMetrics set(Metric metric, String labelValue, double value) {
        if (metric.label() == null) {
            throw new IllegalArgumentException(metric + " has no label");
        }
        values.computeIfAbsent(metric, m -> new LinkedHashMap<>()).put(labelValue, value);
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public String schema() {
        return schema;
    }

    public boolean succeeded() {
        return succeeded;
    }

    /** The gauges, each by label value ({@code ""} for a gauge without a label). */
    public Map<Metric, Map<String, Double>> values() {
        return Collections.unmodifiableMap(values);
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
