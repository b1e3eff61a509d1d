package adrank.udfs.run;

/**
 * Which write wins, decided without trusting any host's wall clock.
 *
 * <p>Every run of a schema writes its cells with one <em>write version</em> as the HBase cell
 * timestamp, and cells keep one version, so the higher version wins (puts and deletes alike).
 * The version is a hybrid logical clock: the HBase server's time, or one more than the last
 * version issued, whichever is greater. It therefore always grows (a driver whose clock is hours
 * behind, or an NTP step on the server, cannot make a re-run lose to the run it replaces) and
 * stays close to wall time (the hour cells' TTL, which HBase measures against the cell
 * timestamp, keeps working). It is also the fencing token of the writer lock: a run whose lease
 * was taken over writes with a lower version than the new holder, so it can never hide the new
 * holder's writes.
 *
 * <p>Leases are judged on the same server clock: a lease renewed at server time {@code r} is
 * expired at server time {@code now} once {@code now >= r + lease}; the holder's and the taker's
 * own clocks play no part.
 */
public final class WriteOrder {

    private WriteOrder() {
    }

    /**
     * The next write version.
     *
     * @param serverNow the HBase server's current time, epoch milliseconds (positive)
     * @param last      the last version issued for the schema (0 when none)
     * @throws IllegalArgumentException for a non-positive server time or a negative last version
     * @throws ArithmeticException      when the version space is exhausted
     */
    public static long nextVersion(long serverNow, long last) {
        if (serverNow <= 0) {
            throw new IllegalArgumentException("server time must be positive epoch milliseconds, got " + serverNow);
        }
        if (last < 0) {
            throw new IllegalArgumentException("the last write version cannot be negative, got " + last);
        }
        return Math.max(serverNow, Math.addExact(last, 1));
    }

    /**
     * Whether a lease last renewed at server time {@code renewedAt} has expired at server time
     * {@code serverNow}.
     *
     * @throws IllegalArgumentException for a lease that is not positive
     */
    public static boolean leaseExpired(long renewedAt, long leaseMillis, long serverNow) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("a lease must be positive, got " + leaseMillis + " ms");
        }
        return serverNow - renewedAt >= leaseMillis;
    }
}
