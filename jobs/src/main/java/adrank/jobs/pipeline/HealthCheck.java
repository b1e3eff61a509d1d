package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.CheckConfig;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.health.HealthProbe;
import adrank.udfs.health.HealthChecks;
import adrank.udfs.health.Status;
import adrank.udfs.health.Verdict;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code rank check}: reads what the checks need ({@link HealthProbe}) and judges it
 * ({@link HealthChecks}) against {@code check.*}. "Now" is the context's clock; the writer lock is
 * judged on HBase's clock, as the lock itself is. A check whose input cannot be read (HBase or
 * Hazelcast unreachable) is UNKNOWN with the cause; the others are still made.
 */
public final class HealthCheck {

    /** The checks in the order they are printed. */
    public static final List<String> CHECKS = List.of("lag", "failed-units", "quarantined-share", "snapshot-age",
            "writer-lock");

    private HealthCheck() {
    }

    /** Every check's verdict, in {@link #CHECKS} order. */
    public static List<Verdict> run(RunContext ctx) {
        AdrankConfig config = ctx.config();
        CheckConfig check = config.check();
        Instant now = ctx.clock().instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate from = today.minusDays(check.lookbackDays() - 1L);
        long windowHours = check.window().toHours();
        List<Verdict> verdicts = new ArrayList<>();

        HealthProbe.LedgerView ledger = null;
        String ledgerError = null;
        try {
            ledger = HealthProbe.ledger(ctx.ledger(), from, today.plusDays(1), now.minus(check.window()));
        } catch (Exception e) {
            ledgerError = "cannot read the ledger of schema " + config.schema() + ": " + Failures.describe(e, config.hbase());
        }

        // lag: the table the hourly runs read (presto.table when they read through Presto)
        String table = config.presto().readsThroughPresto() ? config.presto().table() : config.input().table();
        String location = config.input().path() + "/" + table;
        try {
            var ready = HealthProbe.newestReadyHour(new Configuration(), location, from, today.plusDays(1));
            verdicts.add(ledger == null ? unknown("lag", ledgerError)
                    : HealthChecks.lag(ready, ledger.newestApplied(), check.lookbackDays(), check.lagHours()));
        } catch (Exception e) {
            verdicts.add(unknown("lag", "cannot list the partitions under " + location + ": " + Failures.describe(e)));
        }
        if (ledger == null) {
            verdicts.add(unknown("failed-units", ledgerError));
            verdicts.add(unknown("quarantined-share", ledgerError));
        } else {
            verdicts.add(HealthChecks.failedUnits(ledger.failed(), windowHours, check.failedUnits()));
            verdicts.add(HealthChecks.quarantinedShare(ledger.hourRows(), windowHours, check.quarantinedShare()));
        }

        if (!check.snapshot()) {
            verdicts.add(new Verdict("snapshot-age", Status.OK, Double.NaN,
                    "not checked (check.snapshot-age.enabled = false)"));
        } else {
            try {
                SnapshotPublisher publisher = new SnapshotPublisher(ctx.hazelcast(), config.publish(),
                        config.key().dimensions());
                HealthProbe.Snapshot snapshot = HealthProbe.snapshot(publisher, config.schema());
                verdicts.add(snapshot.pinned()
                        ? HealthChecks.snapshotAgePinned(snapshot.active(), snapshot.readyAt(), snapshot.pinnedBy(),
                                snapshot.pinnedAt(), snapshot.newest(), snapshot.newestReadyAt(), now,
                                check.snapshotAge())
                        : HealthChecks.snapshotAge(snapshot.active(), snapshot.readyAt(), now, check.snapshotAge()));
            } catch (Exception e) {
                verdicts.add(unknown("snapshot-age", "cannot read the snapshot versions of schema " + config.schema()
                        + " from Hazelcast " + config.hazelcast().members() + ": " + Failures.describe(e)));
            }
        }

        if (ledger == null) {
            // the lock is a row of the ledger table: HBase has just had its whole bound to answer
            verdicts.add(unknown("writer-lock", ledgerError));
            return verdicts;
        }
        try {
            HealthProbe.Lock lock = HealthProbe.lock(ctx.writerLock());
            verdicts.add(HealthChecks.writerLock(lock.owner(), lock.expiresAt(), lock.now(), check.lockPastLease()));
        } catch (Exception e) {
            verdicts.add(unknown("writer-lock", "cannot read the writer lock of schema " + config.schema() + ": "
                    + Failures.describe(e, config.hbase())));
        }
        return verdicts;
    }

    private static Verdict unknown(String check, String why) {
        return new Verdict(check, Status.UNKNOWN, Double.NaN, why);
    }
}
