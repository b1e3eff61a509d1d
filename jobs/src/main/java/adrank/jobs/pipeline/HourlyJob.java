package adrank.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.BasisResults;
import adrank.loaders.hbase.HourCellWriter;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RankRegions;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.TableScans;
import adrank.loaders.hbase.WriterLock;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.key.SplitPoints;
import adrank.udfs.result.ResultsBasis;
import adrank.udfs.stats.HourId;
import adrank.udfs.stats.KeyDay;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank hourly --dt D --hr H}: read the hour, quarantine malformed rows, aggregate per key,
 * write the hour's cell and today per key, then refresh every key's result (the result stage).
 * Re-running an hour overwrites its cells (and removes the cells of keys that are no longer in it),
 * so re-runs never double count.
 *
 * <p>A {@link Backfill} runs its hours with the result stage deferred: it writes the same cells and
 * state and records the hour in the ledger ({@link adrank.loaders.hbase.RunRecord#resultsDeferred()}),
 * and the day's fold, which follows in the backfill and runs the stage anyway, computes the results
 * once instead of after every hour.
 */
public final class HourlyJob {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyJob.class);

    /** The ledger note of an hour whose result stage was deferred, followed by its day. */
    public static final String RESULTS_DEFERRED_NOTE = "results deferred to the fold of ";

    /**
     * Sampled keys per region when the first hour splits the table: the share of a region cut at
     * sample quantiles has a relative error of about 1/√200 ≈ 7 %.
     */
    private static final int SPLIT_SAMPLE_PER_REGION = 200;

    private HourlyJob() {
    }

    /**
     * What an hourly run did.
     *
     * @param results what the result stage did, null when it was deferred ({@link #resultsDeferred()})
     */
    public record Outcome(HourId hour, String runId, long rowsIn, long rowsBad, Map<String, Long> badReasons,
            long keysWritten, long keysRemoved, String quarantine, ResultsStage.Outcome results,
            Map<String, Duration> phases, Duration elapsed) {

        /** The hour was applied without the result stage: the stored results are those of the last stage before. */
        public boolean resultsDeferred() {
            return results == null;
        }
    }

    /** Runs the hour holding the schema's writer lock (fails at once, writing nothing, if another run holds it). */
    public static Outcome run(RunContext ctx, HourId hour) throws IOException {
        return run(ctx, hour, false);
    }

    /**
     * Runs the hour, with or without its result stage.
     *
     * @param deferResults skip the result stage (the hour's cells and state are written all the same): only for an
     *                     hour whose day is folded next, which computes every key's result
     */
    public static Outcome run(RunContext ctx, HourId hour, boolean deferResults) throws IOException {
        return SchemaLock.write(ctx, "hourly " + hour, lock -> runLocked(ctx, lock, hour, deferResults));
    }

    private static Outcome runLocked(RunContext ctx, WriterLock.Held lock, HourId hour, boolean deferResults)
            throws IOException {
        AdrankConfig config = ctx.config();
        Ledger ledger = ctx.ledger();
        RunUnit unit = RunUnit.hour(hour);
        boolean appliedBefore = !ledger.attempts(unit).isEmpty();
        HourSource source = HourSource.of(ctx);
        RunAttempt attempt = RunAttempt.start(ctx, lock, unit, "hour " + hour, source.location(hour));
        long version = attempt.version();
        HourSource.Read read = null;
        try {
            // 1.-3. read the hour (ready check, quarantine) into per-key counters: Spark or Presto
            Map<String, Duration> phases = new java.util.LinkedHashMap<>();
            Instant phaseStart = ctx.clock().instant();
            attempt.phase("read+parse");
            read = source.read(hour, appliedBefore);
            long rowsIn = read.rowsIn();
            long rowsBad = read.rowsBad();
            Map<String, Long> reasons = new TreeMap<>(read.reasons());
            attempt.read(rowsIn, rowsBad, reasons);
            String quarantined = read.quarantine();
            phases.put("read+parse", Duration.between(phaseStart, ctx.clock().instant()));
            phaseStart = ctx.clock().instant();
            // too many malformed rows: fail before anything is written to HBase
            double badFraction = rowsIn == 0 ? 0 : (double) rowsBad / rowsIn;
            if (badFraction > config.input().maxBadFraction()) {
                throw new RunFailedException(String.format(
                        "hour %s: %d of %d rows (%.2f%%) are malformed, more than input.max-bad-fraction = %s; "
                                + "nothing was written to HBase. Rejected rows by reason %s are in %s",
                        hour, rowsBad, rowsIn, 100 * badFraction, config.input().maxBadFraction(), reasons,
                        quarantined));
            }

            Dataset<Row> perKey = read.perKey();
            if (appliedBefore) {
                perKey = withRemovedKeys(ctx, hour, perKey);
            }

            // the first hour into the schema's (empty, one-region) ranks table splits it at its keys' quantiles
            splitEmptyTable(ctx, perKey);

            // 4. write the hour cells and apply the hour to each key's state from the executors: an
            //    open day's entry, or (late data) a re-fold of an already folded day
            KeyDay.Phase phase = dayPhase(ctx, hour, version);
            LocalDate windowEnd = ledger.lastFoldedDay().orElse(null);
            if (phase != KeyDay.Phase.OPEN) {
                LOG.info("hourly {}: {} is already folded; {}", hour, hour.day(), phase == KeyDay.Phase.FOLDED
                        ? "the hour re-folds its by-day entry and the totals now"
                        : "some of its other hour cells may have expired, so its by-day entry keeps the last fold");
            }
            // how the hour's results are computed: only its keys against the last full stage's parents, in the
            // write (one read of each key serves both), or the full stage after it
            ResultsBasis basis = ledger.resultsBasis().orElse(null);
            ResultsBasis.Mode mode = deferResults ? null : ResultsBasis.decide(config.rank().hourlyIncremental(),
                    basis, config.rank().resultsFingerprint(config.key().dimensions()),
                    phase == KeyDay.Phase.OPEN, config.rank().refreshShare());
            if (mode != null) {
                LOG.info("hourly {}: results {}", hour, mode.why());
            }
            attempt.phase("aggregate+write");
            org.apache.spark.SparkContext sc = ctx.spark().sparkContext();
            LongAccumulator written = sc.longAccumulator("keys written");
            LongAccumulator removed = sc.longAccumulator("keys removed");
            LongAccumulator impressions = sc.longAccumulator("impressions");
            LongAccumulator ranked = sc.longAccumulator("results written");
            CollectionAccumulator<String> faultyKeys = sc.collectionAccumulator("faulty keys");
            LongAccumulator knownKeys = sc.longAccumulator("keys ranked against their stored parent");
            LongAccumulator lookedUpKeys = sc.longAccumulator("keys whose parents were looked up");
            BasisResults incremental = mode == null || !mode.incremental() ? null
                    : new BasisResults(config.hbase(), config.namespace(),
                            new ParentKeys(config.key().dimensions(), config.key().separator()), config.rank().parents(),
                            config.rank().noiseSegment(), config.rank().settings(), hour.day(), attempt.runId(), version,
                            basis.version(), ranked, sc.longAccumulator("results faulty"), faultyKeys, knownKeys,
                            lookedUpKeys);
            if (incremental == null) {
                // the hour changes keys without their results following: the next hour must not build on them
                ledger.clearResultsBasis();
            }
            perKey.foreachPartition(new HourCellWriter(config.hbase(), config.namespace(), hour, phase, windowEnd,
                    config.limits(), version, written, removed, incremental, impressions));

            read.release().run();
            phases.put("aggregate+write", Duration.between(phaseStart, ctx.clock().instant()));
            phaseStart = ctx.clock().instant();

            // 5. refresh every key's rank and drift from the open days + total (ranks move within the day)
            // an hour of an open day is today's period; a late hour of a folded day changes history,
            // so its results are what the fold would give: drift of the current period, the VPC as of
            // the window end (the state after the late hour alone equals the on-time state)
            //    (deferred: the fold of the day that follows in the backfill computes them)
            ResultsStage.Outcome results = null;
            if (deferResults) {
                attempt.resultsDeferred();
            } else if (incremental != null) {
                attempt.phase("results");
                LOG.info("results: {} keys ranked against the parent their stored result names, {} (new since the last "
                        + "full stage, or faulty then) against parents looked up", knownKeys.value(), lookedUpKeys.value());
                results = ResultsStage.incremental(ctx, "hour=" + hour.id(), ranked.value(), faultyKeys.value());
                ledger.recordResultsBasis(basis.plus(hour.id(), impressions.value()));
                phases.put("results", Duration.between(phaseStart, ctx.clock().instant()));
            } else {
                LocalDate period = phase == KeyDay.Phase.OPEN ? hour.day() : currentDay(ctx, windowEnd);
                LocalDate vpcAsOf = phase == KeyDay.Phase.FOLDED ? windowEnd : null;
                attempt.phase("results");
                results = ResultsStage.run(ctx, "hour=" + hour.id(), period, vpcAsOf, attempt.runId(), version);
                phases.put("results", Duration.between(phaseStart, ctx.clock().instant()));
            }
            LOG.info("hourly {} phases: {}", hour, phases.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().toMillis() + " ms")
                    .collect(java.util.stream.Collectors.joining(", ")));
            Duration elapsed = Duration.between(attempt.startedAt(), ctx.clock().instant());
            List<String> notes = new ArrayList<>();
            if (phase == KeyDay.Phase.FOLDED) {
                notes.add("re-folded " + hour.day() + " (late hour of a folded day)");
            } else if (phase == KeyDay.Phase.FOLDED_CELLS_EXPIRED) {
                notes.add(hour.day() + " is folded and some of its hour cells may have expired: its by-day entry "
                        + "keeps the last fold; re-run all its hours, then daily --dt " + hour.day());
            }
            if (results == null) {
                notes.add(RESULTS_DEFERRED_NOTE + hour.day());
            } else {
                if (results.faulty() > 0) {
                    notes.add(results.faulty() + " key(s) with faulty counters quarantined in " + results.quarantine());
                }
                attempt.results(results.keys(), results.faulty());
            }
            attempt.succeeded(written.value(), removed.value(), notes.isEmpty() ? null : String.join("; ", notes));
            return new Outcome(hour, attempt.runId(), rowsIn, rowsBad, reasons, written.value(), removed.value(), quarantined,
                    results, phases, elapsed);
        } catch (Throwable e) {
            // whatever ended the run (Spark's task failures are checked SparkExceptions), the ledger says so
            throw attempt.failed(e);
        } finally {
            if (read != null) {
                read.release().run();
            }
        }
    }

    /**
     * Splits the ranks table into {@code hbase.presplit-regions} at the quantiles of a sample of
     * the hour's keys, when the table is still empty and has fewer regions ({@link RankRegions}).
     * Keys share the prefix of their first dimension, so no split fixed in advance spreads them.
     */
    private static void splitEmptyTable(RunContext ctx, Dataset<Row> perKey) throws IOException {
        int regions = ctx.config().hbase().presplitRegions();
        if (!RankRegions.needsSplit(ctx.hbaseWithTables(), ctx.schema().ranks(), regions)) {
            return;
        }
        List<byte[]> sample = perKey.select("key").javaRDD().takeSample(false, SPLIT_SAMPLE_PER_REGION * regions, 1L)
                .stream().map(row -> Bytes.toBytes(row.getString(0))).toList();
        RankRegions.split(ctx.hbaseWithTables(), ctx.schema().ranks(), SplitPoints.quantiles(sample, regions),
                ctx.config().hbase().unreachableTimeout());
    }

    /** The schema's current day: the newest open (applied, not folded) day after the window end, else the window end. */
    private static LocalDate currentDay(RunContext ctx, LocalDate windowEnd) throws IOException {
        List<LocalDate> open = ctx.ledger().unfoldedDays(windowEnd.plusDays(1), windowEnd.plusDays(400));
        return open.isEmpty() ? windowEnd : open.get(open.size() - 1);
    }

    /**
     * Where the hour's day stands (open, folded, or folded with other hour cells possibly expired),
     * from the ledger: whether a fold of the day succeeded and at which write versions its other
     * hours were written. Versions stay close to HBase's time, against which the cells' TTL runs,
     * so this run's version stands for "now".
     */
    private static KeyDay.Phase dayPhase(RunContext ctx, HourId hour, long now) throws IOException {
        boolean folded = ctx.ledger().folded(hour.day());
        long oldestOther = Long.MAX_VALUE;
        for (RunRecord run : ctx.ledger().latestPerUnit(hour.day())) {
            if (run.unit().kind().equals(RunUnit.HOUR) && run.succeeded() && run.unit().hour() != hour.hour()) {
                oldestOther = Math.min(oldestOther, run.writeVersion());
            }
        }
        return KeyDay.phase(folded, oldestOther, now, Duration.ofDays(ctx.config().hbase().hourCellTtlDays()).toMillis(),
                Duration.ofHours(1).toMillis());
    }

    /**
     * Adds a row with null counters for every key that has a cell for this hour from an earlier
     * run but is not in the hour any more (the partition was replaced), so its cell is removed.
     */
    private static Dataset<Row> withRemovedKeys(RunContext ctx, HourId hour, Dataset<Row> perKey) {
        Scan scan = new Scan().addColumn(RankSchema.HOURS, Bytes.toBytes(hour.id())).setFilter(new KeyOnlyFilter())
                .setCaching(1000).setCacheBlocks(false);
        Dataset<Row> storedKeys = ctx.spark().createDataset(
                TableScans.rows(ctx.spark(), ctx.config().hbase(), ctx.schema().ranks(), scan)
                        .map(pair -> Bytes.toString(pair._2().getRow())).rdd(),
                Encoders.STRING()).toDF("stored_key");
        Dataset<Row> removed = storedKeys.join(perKey, storedKeys.col("stored_key").equalTo(perKey.col("key")), "left_anti")
                .select(col("stored_key").as("key"), lit(null).cast("long").as("imps"), lit(null).cast("long").as("clicks"),
                        lit(null).cast("long").as("convs"), lit(null).cast("long").as("rev"),
                        lit(null).cast("long").as("val"));
        return perKey.unionByName(removed);
    }
}
