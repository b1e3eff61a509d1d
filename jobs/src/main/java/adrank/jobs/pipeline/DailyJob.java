package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.DailyFolder;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.TableScans;
import adrank.loaders.hbase.WriterLock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank daily --dt D}: fold D's hour cells into every key's by-day lists (replacing an
 * existing D entry), recompute total-to-limit and reset today. Idempotent: the fold reads only
 * stored cells, so running it again, or after a late hour was re-run, converges to the on-time
 * state.
 */
public final class DailyJob {

    private static final Logger LOG = LoggerFactory.getLogger(DailyJob.class);

    private DailyJob() {
    }

    /** What a daily run did. */
    public record Outcome(LocalDate day, String runId, int hoursFolded, List<Integer> missingHours, LocalDate windowEnd,
            long keysScanned, long keysChanged, long keysAged, ResultsStage.Outcome results, Map<String, Duration> phases,
            Duration elapsed) {
    }

    /**
     * Folds the day holding the schema's writer lock (fails at once, writing nothing, if another
     * run holds it). Older days whose hours were applied but that were never folded are folded
     * first, oldest first, each as its own ledger unit: a fold of D closes every open day up to D,
     * so folding D alone would drop those days' counters from the state.
     */
    public static Outcome run(RunContext ctx, LocalDate day) throws IOException {
        return SchemaLock.write(ctx, "daily " + day, lock -> {
            int ttlDays = ctx.config().hbase().hourCellTtlDays();
            for (LocalDate older : ctx.ledger().unfoldedDays(day.minusDays(ttlDays), day)) {
                LOG.info("daily {}: {} has applied hours but was never folded; folding it first", day, older);
                try {
                    runLocked(ctx, lock, older);
                } catch (RunFailedException e) {
                    throw new RunFailedException("daily " + day + ": the older day " + older
                            + " has applied hours but was never folded, and folding it first failed: "
                            + e.getMessage(), e);
                }
            }
            return runLocked(ctx, lock, day);
        });
    }

    private static Outcome runLocked(RunContext ctx, WriterLock.Held lock, LocalDate day) throws IOException {
        AdrankConfig config = ctx.config();
        Ledger ledger = ctx.ledger();

        // Guards: every applied hour of D finished, and none of its cells can have expired.
        TreeSet<Integer> applied = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        long oldestWrite = Long.MAX_VALUE;
        for (RunRecord hour : ledger.latestPerUnit(day)) {
            if (!hour.unit().kind().equals(RunUnit.HOUR)) {
                continue;
            }
            if (hour.succeeded()) {
                applied.add(hour.unit().hour());
                oldestWrite = Math.min(oldestWrite, hour.writeVersion());
            } else if (hour.status().equals(RunRecord.RUNNING)) {
                // this fold holds the schema's writer lock, which every hourly run holds while it runs
                problems.add(hour.unit().hourId() + " is RUNNING in the ledger (run " + hour.runId()
                        + "), but no run holds the writer lock: it ended without recording how (killed, or HBase "
                        + "unreachable)");
            } else {
                problems.add(hour.unit().hourId() + " is " + hour.status() + " (run " + hour.runId()
                        + (hour.message() == null || hour.message().isBlank() ? "" : ": " + hour.message()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new RunFailedException("daily " + day + ": the latest run of " + String.join("; ", problems)
                    + "; re-run those hours first (bin/rank hourly --dt " + day + " --hr HH)");
        }
        if (applied.isEmpty()) {
            throw new RunFailedException("daily " + day + ": no hour of " + day
                    + " has been applied in schema " + config.schema() + "; run the hours first (bin/rank hourly --dt "
                    + day + " --hr HH)");
        }
        // versions stay close to HBase's time, against which the cells' TTL runs: the lock's current
        // version stands for "now", whatever this driver's clock says
        long ttlMillis = Duration.ofDays(config.hbase().hourCellTtlDays()).toMillis();
        if (lock.version() - oldestWrite > ttlMillis - Duration.ofHours(1).toMillis()) {
            throw new RunFailedException("daily " + day + ": hour cells of " + day + " were written at "
                    + Instant.ofEpochMilli(oldestWrite) + " and may have expired (hbase.hour-cell-ttl-days = "
                    + config.hbase().hourCellTtlDays() + "); re-run the hours of " + day + " first");
        }
        List<Integer> missing = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            if (!applied.contains(h)) {
                missing.add(h);
            }
        }
        LocalDate windowEnd = ledger.lastFoldedDay().filter(d -> d.isAfter(day)).orElse(day);

        RunAttempt attempt = RunAttempt.start(ctx, lock, RunUnit.day(day), "daily " + day,
                applied.size() + " hour(s) of " + day);
        long version = attempt.version();
        try {
            LOG.info("daily {}: folding {} hour(s){} into every key, window ends {}", day, applied.size(),
                    missing.isEmpty() ? "" : " (missing " + missing + ")", windowEnd);
            Map<String, Duration> phases = new java.util.LinkedHashMap<>();
            Instant phaseStart = ctx.clock().instant();
            attempt.phase("fold");
            LongAccumulator scanned = ctx.spark().sparkContext().longAccumulator("keys scanned");
            LongAccumulator changed = ctx.spark().sparkContext().longAccumulator("keys changed");
            LongAccumulator aged = ctx.spark().sparkContext().longAccumulator("keys aged out");
            TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().ranks(), DailyFolder.scan(day))
                    .foreachPartition(new DailyFolder(config.hbase(), config.namespace(), day, windowEnd,
                            config.limits(), version, scanned, changed, aged));
            if (aged.value() > 0) {
                LOG.info("daily {}: {} key(s) aged out of the {}-day window and left the table's results", day,
                        aged.value(), config.limits().maxDays());
            }
            phases.put("fold", Duration.between(phaseStart, ctx.clock().instant()));
            phaseStart = ctx.clock().instant();
            attempt.phase("results");
            // every key's rank, drift and VPC from the folded state, the posterior aged to the window end
            // (so re-folding an older day gives the same results as the on-time run)
            ResultsStage.Outcome results = ResultsStage.run(ctx, "day=" + adrank.udfs.stats.DayId.of(day), day,
                    windowEnd, attempt.runId(), version);
            phases.put("results", Duration.between(phaseStart, ctx.clock().instant()));
            LOG.info("daily {} phases: fold {} ms, results {} ms", day, phases.get("fold").toMillis(),
                    phases.get("results").toMillis());
            Duration elapsed = Duration.between(attempt.startedAt(), ctx.clock().instant());
            List<String> notes = new ArrayList<>();
            if (!missing.isEmpty()) {
                notes.add("missing hours " + missing);
            }
            if (aged.value() > 0) {
                notes.add(aged.value() + " key(s) aged out");
            }
            if (results.faulty() > 0) {
                notes.add(results.faulty() + " key(s) with faulty counters quarantined in " + results.quarantine());
            }
            attempt.results(results.keys(), results.faulty());
            attempt.succeeded(changed.value(), 0, notes.isEmpty() ? null : String.join("; ", notes));
            return new Outcome(day, attempt.runId(), applied.size(), missing, windowEnd, scanned.value(), changed.value(),
                    aged.value(), results, phases, elapsed);
        } catch (Throwable e) {
            // whatever ended the fold (Spark's task failures are checked SparkExceptions), the ledger says so
            throw attempt.failed(e);
        }
    }
}
