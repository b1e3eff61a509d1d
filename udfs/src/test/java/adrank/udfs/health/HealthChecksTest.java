package adrank.udfs.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.health.HealthChecks.UnitRows;
import adrank.udfs.stats.HourId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers of the {@code rank check} judgements, worked out by hand. */
class HealthChecksTest {

    private static final LocalDate D = LocalDate.of(2026, 11, 2);

    @Test
    void thresholdIsStrictlyAboveEachLimit() {
        Threshold t = new Threshold(1, 3);
        assertThat(t.judge(0)).isEqualTo(Status.OK);
        assertThat(t.judge(1)).isEqualTo(Status.OK);
        assertThat(t.judge(1.0001)).isEqualTo(Status.WARNING);
        assertThat(t.judge(3)).isEqualTo(Status.WARNING);
        assertThat(t.judge(4)).isEqualTo(Status.CRITICAL);
        assertThatThrownBy(() -> new Threshold(3, 1)).hasMessageContaining("above the critical");
        assertThatThrownBy(() -> new Threshold(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.judge(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exitCodesAreNagiosAndWorstOrdersUnknownBetweenWarningAndCritical() {
        assertThat(List.of(Status.OK, Status.WARNING, Status.CRITICAL, Status.UNKNOWN))
                .extracting(Status::exitCode).containsExactly(0, 1, 2, 3);
        assertThat(Status.worst(List.of())).isEqualTo(Status.OK);
        assertThat(Status.worst(List.of(Status.OK, Status.WARNING))).isEqualTo(Status.WARNING);
        assertThat(Status.worst(List.of(Status.WARNING, Status.UNKNOWN, Status.OK))).isEqualTo(Status.UNKNOWN);
        assertThat(Status.worst(List.of(Status.UNKNOWN, Status.CRITICAL, Status.WARNING))).isEqualTo(Status.CRITICAL);
        assertThat(List.of(Status.OK, Status.WARNING, Status.CRITICAL, Status.UNKNOWN).stream()
                .sorted(Status.WORST_FIRST)).containsExactly(Status.CRITICAL, Status.UNKNOWN, Status.WARNING, Status.OK);
    }

    @Test
    void lagCountsHoursAcrossMidnightAndNeverBelowZero() {
        assertThat(HealthChecks.hoursBetween(new HourId(D, 22), new HourId(D.plusDays(1), 1))).isEqualTo(3);
        assertThat(HealthChecks.hoursBetween(new HourId(D, 5), new HourId(D, 5))).isZero();
        // 2026-11-01 00 .. 2026-11-03 00: 48 hours (no daylight saving in UTC)
        assertThat(HealthChecks.hoursBetween(new HourId(D.minusDays(1), 0), new HourId(D.plusDays(1), 0)))
                .isEqualTo(48);
        Threshold t = new Threshold(1, 3);

        Verdict behind = HealthChecks.lag(new HourId(D.plusDays(1), 1), new HourId(D, 22), 7, t);
        assertThat(behind.status()).isEqualTo(Status.WARNING);
        assertThat(behind.value()).isEqualTo(3);
        assertThat(behind.line()).isEqualTo("WARNING lag: newest ready hour 2026-11-03 01, newest applied 2026-11-02 22: "
                + "3 h behind (warning > 1 h, critical > 3 h)");

        assertThat(HealthChecks.lag(new HourId(D, 9), new HourId(D, 5), 7, t).status()).isEqualTo(Status.CRITICAL);
        assertThat(HealthChecks.lag(new HourId(D, 6), new HourId(D, 5), 7, t).status()).isEqualTo(Status.OK);
        Verdict ahead = HealthChecks.lag(new HourId(D, 4), new HourId(D, 5), 7, t);
        assertThat(ahead.status()).isEqualTo(Status.OK);
        assertThat(ahead.value()).isZero();
    }

    @Test
    void lagWithoutReadyOrAppliedHours() {
        Threshold t = new Threshold(1, 3);
        Verdict none = HealthChecks.lag(null, null, 7, t);
        assertThat(none.status()).isEqualTo(Status.UNKNOWN);
        assertThat(none.reason()).isEqualTo("no hour partition with _SUCCESS in the last 7 day(s)");
        Verdict neverApplied = HealthChecks.lag(new HourId(D, 5), null, 7, t);
        assertThat(neverApplied.status()).isEqualTo(Status.CRITICAL);
        assertThat(neverApplied.reason()).startsWith("newest ready hour 2026-11-02 05, but no hour applied in the last 7");
    }

    @Test
    void failedUnitsAreCountedSortedAndListedUpToFive() {
        Threshold t = new Threshold(0, 2);
        assertThat(HealthChecks.failedUnits(List.of(), 24, t).status()).isEqualTo(Status.OK);
        Verdict one = HealthChecks.failedUnits(List.of("hour 2026-11-02 05"), 24, t);
        assertThat(one.status()).isEqualTo(Status.WARNING);
        assertThat(one.reason()).isEqualTo("1 unit(s) whose latest attempt FAILED in the last 24 h: hour 2026-11-02 05 "
                + "(warning > 0, critical > 2)");
        assertThat(HealthChecks.failedUnits(List.of("a", "b"), 24, t).status()).isEqualTo(Status.WARNING);
        Verdict seven = HealthChecks.failedUnits(List.of("g", "f", "e", "d", "c", "b", "a"), 24, t);
        assertThat(seven.status()).isEqualTo(Status.CRITICAL);
        assertThat(seven.value()).isEqualTo(7);
        assertThat(seven.reason()).contains(": a, b, c, d, e and 2 more (");
    }

    @Test
    void aPinnedSchemaIsJudgedByItsNewestLoadedVersionNotItsOldActiveOne() {
        Threshold t = new Threshold(7200, 93600); // 2 h, 26 h
        Instant now = Instant.parse("2026-11-03T12:00:00Z");
        Instant activeReady = Instant.parse("2026-11-01T12:00:00Z"); // 48 h old: rolled back to on purpose
        Instant pinnedAt = Instant.parse("2026-11-02T12:00:00Z");
        Verdict fresh = HealthChecks.snapshotAgePinned(4, activeReady, "rollback", pinnedAt, 9,
                Instant.parse("2026-11-03T11:30:00Z"), now, t);
        assertThat(fresh.status()).isEqualTo(Status.OK);
        assertThat(fresh.value()).isEqualTo(1800);
        assertThat(fresh.reason()).isEqualTo("schema pinned since 2026-11-02T12:00:00Z by rollback: active v4 verified "
                + "2d 0h ago (not judged while pinned); newest loaded v9 verified at 2026-11-03T11:30:00Z, 30m 0s ago "
                + "(warning > 7200 s, critical > 93600 s)");
        // publishes stopped loading during the pin: 27 h since the newest version -> critical
        Verdict stopped = HealthChecks.snapshotAgePinned(4, activeReady, "ops", pinnedAt, 9,
                Instant.parse("2026-11-02T09:00:00Z"), now, t);
        assertThat(stopped.status()).isEqualTo(Status.CRITICAL);
        assertThat(stopped.value()).isEqualTo(27 * 3600);
    }

    @Test
    void snapshotAgeFromItsReadyTime() {
        Threshold t = new Threshold(7200, 93600); // 2 h, 26 h
        Instant ready = Instant.parse("2026-11-02T06:00:00Z");
        Verdict fresh = HealthChecks.snapshotAge(4, ready, Instant.parse("2026-11-02T07:59:59Z"), t);
        assertThat(fresh.status()).isEqualTo(Status.OK);
        assertThat(fresh.value()).isEqualTo(7199);
        assertThat(fresh.reason()).isEqualTo("active v4 verified at 2026-11-02T06:00:00Z, 1h 59m ago "
                + "(warning > 7200 s, critical > 93600 s)");
        assertThat(HealthChecks.snapshotAge(4, ready, Instant.parse("2026-11-02T08:00:01Z"), t).status())
                .isEqualTo(Status.WARNING);
        Verdict stale = HealthChecks.snapshotAge(4, ready, Instant.parse("2026-11-03T08:00:01Z"), t);
        assertThat(stale.status()).isEqualTo(Status.CRITICAL);
        assertThat(stale.value()).isEqualTo(26 * 3600 + 1);
        assertThat(stale.reason()).contains("1d 2h ago");
        // a clock behind the publisher's: age 0, not negative
        assertThat(HealthChecks.snapshotAge(4, ready, ready.minusSeconds(30), t).value()).isZero();
        Verdict none = HealthChecks.snapshotAge(0, null, ready, t);
        assertThat(none.status()).isEqualTo(Status.CRITICAL);
        assertThat(none.reason()).startsWith("no active snapshot version");
    }

    @Test
    void quarantinedShareIsTheWorstHoursNotTheAverage() {
        Threshold t = new Threshold(0.005, 0.01);
        List<UnitRows> hours = List.of(new UnitRows("hour 2026-11-02 04", 10_000, 0),
                new UnitRows("hour 2026-11-02 05", 1_000, 7), new UnitRows("hour 2026-11-02 06", 89_000, 3));
        Verdict v = HealthChecks.quarantinedShare(hours, 24, t);
        // 7 / 1,000 = 0.007 > 0.005 although 10 / 100,000 = 0.0001 over all three
        assertThat(v.value()).isEqualTo(0.007);
        assertThat(v.status()).isEqualTo(Status.WARNING);
        assertThat(v.reason()).isEqualTo("largest share 0.0070 in hour 2026-11-02 05 (7 of 1,000 rows); 10 of "
                + "100,000 rows in 3 hour(s) of the last 24 h (warning > 0.0050, critical > 0.0100)");
        assertThat(HealthChecks.quarantinedShare(List.of(new UnitRows("h", 100, 2)), 24, t).status())
                .isEqualTo(Status.CRITICAL);
        assertThat(HealthChecks.quarantinedShare(List.of(new UnitRows("h", 200, 1)), 24, t).status())
                .as("exactly at the warning limit").isEqualTo(Status.OK);
        assertThat(HealthChecks.quarantinedShare(List.of(new UnitRows("empty hour", 0, 0)), 24, t).value()).isZero();
        assertThat(HealthChecks.quarantinedShare(List.of(), 24, t).status()).isEqualTo(Status.OK);
        assertThatThrownBy(() -> new UnitRows("h", 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writerLockPastItsLease() {
        Threshold t = new Threshold(0, 600);
        Instant expires = Instant.parse("2026-11-02T06:02:00Z");
        assertThat(HealthChecks.writerLock(null, null, expires, t).status()).isEqualTo(Status.OK);
        Verdict live = HealthChecks.writerLock("hourly 2026-11-02 05 (run by 1@h)", expires, expires.minusSeconds(1), t);
        assertThat(live.status()).isEqualTo(Status.OK);
        assertThat(live.reason()).startsWith("held by hourly 2026-11-02 05 (run by 1@h), lease until 2026-11-02T06:02:00Z");
        assertThat(HealthChecks.writerLock("x", expires, expires, t).status()).isEqualTo(Status.OK);
        Verdict overdue = HealthChecks.writerLock("x", expires, expires.plusSeconds(90), t);
        assertThat(overdue.status()).isEqualTo(Status.WARNING);
        assertThat(overdue.value()).isEqualTo(90);
        assertThat(overdue.reason()).startsWith("held by x 1m 30s past its lease (expired 2026-11-02T06:02:00Z)");
        assertThat(HealthChecks.writerLock("x", expires, expires.plusSeconds(601), t).status())
                .isEqualTo(Status.CRITICAL);
    }
}
