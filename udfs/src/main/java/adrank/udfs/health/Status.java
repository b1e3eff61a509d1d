package adrank.udfs.health;

import java.util.Collection;

/**
 * The outcome of a health check, with the Nagios plugin exit codes {@code rank check} exits with:
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the check could not be made, e.g. HBase did not answer).
 */
public enum Status {
    OK(0, 0), WARNING(1, 1), UNKNOWN(3, 2), CRITICAL(2, 3);

    private final int exitCode;
    private final int severity;

    Status(int exitCode, int severity) {
        this.exitCode = exitCode;
        this.severity = severity;
    }

    /** Orders statuses from the most severe to the least: CRITICAL, UNKNOWN, WARNING, OK. */
    public static final java.util.Comparator<Status> WORST_FIRST = java.util.Comparator
            .comparingInt((Status s) -> s.severity).reversed();

    /** The Nagios plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
    public int exitCode() {
        return exitCode;
    }

    /**
     * The most severe of {@code statuses}, ordered OK &lt; WARNING &lt; UNKNOWN &lt; CRITICAL (a check that
     * could not be made hides more than a warning); OK for none.
     */
    public static Status worst(Collection<Status> statuses) {
        Status worst = OK;
        for (Status s : statuses) {
            if (s.severity > worst.severity) {
                worst = s;
            }
        }
        return worst;
    }
}
