package adrank.udfs.health;

import adrank.udfs.stats.HourId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The judgements of {@code rank check}: pure functions from what was read (the ledger, the input
 * partitions, the snapshot control record, the writer lock) and the time to a {@link Verdict}.
 * Nothing here reads a clock: "now" is a parameter.
 */
public final class HealthChecks {

    /** How many unit names a reason lists before it says "and N more". */
    static final int NAMES_SHOWN = 5;

    private HealthChecks() {
    }

    /** Whole hours from {@code from} to {@code to} (negative when {@code to} is earlier). */
    public static long hoursBetween(HourId from, HourId to) {
        return Duration.between(start(from), start(to)).toHours();
    }

    private static Instant start(HourId hour) {
        return hour.day().atTime(hour.hour(), 0).toInstant(ZoneOffset.UTC);
    }

    /**
     * Processing lag: how many hours the newest hour applied (its latest attempt SUCCEEDED) is
     * behind the newest hour whose partition is ready ({@code _SUCCESS}). Never negative (an hour
     * applied while its marker was removed again counts as no lag).
     *
     * @param newestReady   the newest ready hour, or null if none was found
     * @param newestApplied the newest applied hour, or null if none was found
     * @param lookbackDays  how far back both were searched (for the reason)
     * @param hours         limits in hours
     */
    public static Verdict lag(HourId newestReady, HourId newestApplied, int lookbackDays, Threshold hours) {
        String limits = hours.describe("%.0f h");
        if (newestReady == null) {
            return new Verdict("lag", Status.UNKNOWN, Double.NaN, "no hour partition with _SUCCESS in the last "
                    + lookbackDays + " day(s)" + (newestApplied == null ? "" : "; newest applied " + newestApplied));
        }
        if (newestApplied == null) {
            return new Verdict("lag", Status.CRITICAL, Double.NaN, "newest ready hour " + newestReady
                    + ", but no hour applied in the last " + lookbackDays + " day(s) (" + limits + ")");
        }
        long lag = Math.max(0, hoursBetween(newestApplied, newestReady));
        return new Verdict("lag", hours.judge(lag), lag, "newest ready hour " + newestReady + ", newest applied "
                + newestApplied + ": " + lag + " h behind (" + limits + ")");
    }

    /**
     * Units (hours, days) whose latest attempt FAILED within the window.
     *
     * @param failed      their names, e.g. {@code hour 2026-11-02 05}, in any order
     * @param windowHours the window (for the reason)
     * @param count       limits on their number
     */
    public static Verdict failedUnits(List<String> failed, long windowHours, Threshold count) {
        String limits = count.describe("%.0f");
        List<String> sorted = failed.stream().sorted().toList();
        String names = sorted.isEmpty() ? "" : ": " + String.join(", ", sorted.subList(0, Math.min(NAMES_SHOWN,
                sorted.size()))) + (sorted.size() > NAMES_SHOWN ? " and " + (sorted.size() - NAMES_SHOWN) + " more" : "");
        return new Verdict("failed-units", count.judge(sorted.size()), sorted.size(), sorted.size()
                + " unit(s) whose latest attempt FAILED in the last " + windowHours + " h" + names + " (" + limits + ")");
    }

    /**
     * The age of the schema's active snapshot: now − the time it was verified (READY).
     *
     * @param activeVersion the active version, 0 if none
     * @param readyAt       when it became READY
     * @param seconds       limits in seconds
     */
    public static Verdict snapshotAge(int activeVersion, Instant readyAt, Instant now, Threshold seconds) {
        String limits = seconds.describe("%.0f s");
        if (activeVersion <= 0 || readyAt == null) {
            return new Verdict("snapshot-age", Status.CRITICAL, Double.NaN, "no active snapshot version ("
                    + limits + ")");
        }
        // a clock behind the publisher's does not make the snapshot younger than new
        long age = Math.max(0, Duration.between(readyAt, now).toSeconds());
        return new Verdict("snapshot-age", seconds.judge(age), age, "active v" + activeVersion + " verified at "
                + readyAt + ", " + human(age) + " ago (" + limits + ")");
    }

    /**
     * The snapshot age of a <em>pinned</em> schema (a rollback or {@code versions pin}): the active
     * version is old on purpose, so its age is reported but not judged; what is judged is the
     * newest version loaded and verified since, because scheduled publishes keep loading while
     * pinned and a pipeline that stopped must still alert.
     *
     * @param pinnedBy      who pinned ("rollback", a user)
     * @param pinnedAt      since when
     * @param newestVersion the newest READY version (may be the active one)
     * @param newestReadyAt when it became READY
     */
    public static Verdict snapshotAgePinned(int activeVersion, Instant activeReadyAt, String pinnedBy, Instant pinnedAt,
            int newestVersion, Instant newestReadyAt, Instant now, Threshold seconds) {
        if (activeVersion <= 0 || activeReadyAt == null || newestVersion <= 0 || newestReadyAt == null) {
            return snapshotAge(activeVersion, activeReadyAt, now, seconds);
        }
        long activeAge = Math.max(0, Duration.between(activeReadyAt, now).toSeconds());
        long newestAge = Math.max(0, Duration.between(newestReadyAt, now).toSeconds());
        return new Verdict("snapshot-age", seconds.judge(newestAge), newestAge, "schema pinned since " + pinnedAt
                + " by " + pinnedBy + ": active v" + activeVersion + " verified " + human(activeAge)
                + " ago (not judged while pinned); newest loaded v" + newestVersion + " verified at " + newestReadyAt
                + ", " + human(newestAge) + " ago (" + seconds.describe("%.0f s") + ")");
    }

    /** Rows an attempt read and quarantined. */
    public record UnitRows(String unit, long rowsIn, long rowsBad) {
        public UnitRows {
            if (rowsIn < 0 || rowsBad < 0 || rowsBad > rowsIn) {
                throw new IllegalArgumentException(unit + ": rows quarantined " + rowsBad + " of " + rowsIn);
            }
        }

        double share() {
            return rowsIn == 0 ? 0 : (double) rowsBad / rowsIn;
        }
    }

    /**
     * The largest quarantined share of one unit (an hour's rows read) in the window: one bad hour
     * is the signal, which a share over many hours would dilute.
     *
     * @param units the latest attempt of each hour in the window, failed ones included (a run over
     *              {@code input.max-bad-fraction} fails, and its share is why)
     * @param share limits on the share, in [0, 1]
     */
    public static Verdict quarantinedShare(List<UnitRows> units, long windowHours, Threshold share) {
        String limits = share.describe("%.4f");
        if (units.isEmpty()) {
            return new Verdict("quarantined-share", Status.OK, 0, "no hour read in the last " + windowHours + " h ("
                    + limits + ")");
        }
        UnitRows worst = units.stream().max(Comparator.comparingDouble(UnitRows::share)
                .thenComparing(UnitRows::unit, Comparator.reverseOrder())).orElseThrow();
        long in = units.stream().mapToLong(UnitRows::rowsIn).sum();
        long bad = units.stream().mapToLong(UnitRows::rowsBad).sum();
        return new Verdict("quarantined-share", share.judge(worst.share()), worst.share(), String.format(Locale.ROOT,
                "largest share %.4f in %s (%,d of %,d rows); %,d of %,d rows in %d hour(s) of the last %d h (%s)",
                worst.share(), worst.unit(), worst.rowsBad(), worst.rowsIn(), bad, in, units.size(), windowHours,
                limits));
    }

    /**
     * The writer lock held past its lease: a holder whose lease expired without a release, i.e. a
     * run that died (killed, cut off from HBase) and that no run has taken over yet.
     *
     * @param owner     the holder, null when the lock is free (released or never taken)
     * @param expiresAt when the holder's lease expires (its last renewal + the lease), HBase's clock
     * @param now       HBase's time
     * @param seconds   limits on how long past its lease the lock may stay held
     */
    public static Verdict writerLock(String owner, Instant expiresAt, Instant now, Threshold seconds) {
        String limits = seconds.describe("%.0f s");
        if (owner == null) {
            return new Verdict("writer-lock", Status.OK, 0, "free (" + limits + " past the lease)");
        }
        long overdue = Duration.between(expiresAt, now).toSeconds();
        if (overdue <= 0) {
            return new Verdict("writer-lock", Status.OK, 0, "held by " + owner + ", lease until " + expiresAt
                    + " (" + limits + " past the lease)");
        }
        return new Verdict("writer-lock", seconds.judge(overdue), overdue, "held by " + owner + " " + human(overdue)
                + " past its lease (expired " + expiresAt + "): its run died without releasing it; the next run "
                + "takes it over (" + limits + ")");
    }

    /** 90 s → "1m 30s", 7200 → "2h 0m", 30 → "30s". */
    static String human(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }
}
