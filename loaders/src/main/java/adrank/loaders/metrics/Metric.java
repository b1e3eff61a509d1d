package adrank.loaders.metrics;

/**
 * Every gauge a run pushes (README "Monitoring" lists them with their labels). A push of a run
 * replaces these gauges of its group ({@code job=<prefix>_<kind>}, {@code schema}) and keeps the
 * ones it does not push, so {@link #LAST_SUCCESS} and the snapshot gauges of the last successful
 * run stay after a failed one.
 */
public enum Metric {
    SUCCESS("adrank_run_success", "1 if the last run of this kind and schema succeeded, 0 if it failed"),
    DURATION("adrank_run_duration_seconds", "wall time of the last run"),
    END("adrank_run_end_timestamp_seconds", "when the last run ended (driver clock, Unix time)"),
    LAST_SUCCESS("adrank_last_success_timestamp_seconds",
            "when the last successful run of this kind and schema ended (Unix time); not pushed by failed runs"),
    UNIT("adrank_run_unit_timestamp_seconds",
            "start of the hour or day the last run processed (Unix time; hourly, daily, etl)"),
    ROWS_IN("adrank_run_rows_in", "rows the last run read, valid and quarantined (hourly, etl)"),
    ROWS_QUARANTINED("adrank_run_rows_quarantined",
            "rows the last run quarantined, by reason (every reason pushed, 0 included; hourly, etl)"),
    KEYS_WRITTEN("adrank_run_keys_written",
            "keys whose hour cell the last run wrote (hourly) or whose state the fold changed (daily); "
                    + "aggregate keys written (etl)"),
    KEYS_REMOVED("adrank_run_keys_removed", "keys whose hour cell the last run removed (a re-run of a replaced hour)"),
    RESULTS_REFRESHED("adrank_run_results_refreshed", "keys whose result (rank, drift, VPC) the last run wrote"),
    FAULTY_KEYS("adrank_run_faulty_keys", "keys with faulty counters the last run quarantined instead of ranking"),
    UNITS_RUN("adrank_backfill_units_run", "units the last backfill ran, by kind (hour, day)"),
    UNITS_SKIPPED("adrank_backfill_units_skipped", "units the last backfill found done already, by kind (hour, day)"),
    SNAPSHOT_VERSION("adrank_snapshot_version", "the snapshot version the last successful publish activated"),
    SNAPSHOT_ENTRIES("adrank_snapshot_entries", "verified entries of that snapshot"),
    SNAPSHOT_PARENT_ENTRIES("adrank_snapshot_parent_entries", "verified parent segments of that snapshot"),
    PUBLISH_VERIFY("adrank_publish_verify_seconds", "time the last successful publish spent counting and "
            + "checksumming the loaded maps");

    private final String metricName;
    private final String help;

    Metric(String metricName, String help) {
        this.metricName = metricName;
        this.help = help;
    }

    public String metricName() {
        return metricName;
    }

    public String help() {
        return help;
    }

    /** The label of the gauges that have one ({@code reason}, {@code kind}), else null. */
    public String label() {
        return switch (this) {
            case ROWS_QUARANTINED -> "reason";
            case UNITS_RUN, UNITS_SKIPPED -> "kind";
            default -> null;
        };
    }
}
