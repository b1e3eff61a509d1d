package adrank.udfs.health;

/**
 * What one health check found.
 *
 * @param check  the check's name ({@code lag}, {@code failed-units}, {@code snapshot-age},
 *               {@code quarantined-share}, {@code writer-lock})
 * @param status its status
 * @param value  the measured value the status was judged on (NaN when there was none)
 * @param reason one line saying what was measured against which limits
 */
public record Verdict(String check, Status status, double value, String reason) {

    /** {@code CRITICAL lag: ...}: the line {@code rank check} prints. */
    public String line() {
        return status + " " + check + ": " + reason;
    }
}
