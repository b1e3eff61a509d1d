package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.FallbackRule;
import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.Publication;
import adrank.loaders.hazelcast.PublishResult;
import adrank.loaders.hazelcast.SnapshotEntry;
import adrank.loaders.hazelcast.SnapshotLoader;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.SnapshotRows;
import adrank.loaders.hazelcast.SnapshotValueException;
import adrank.loaders.config.HBaseConfig;
import adrank.loaders.hbase.TableScans;
import adrank.loaders.hbase.BatchWriter;
import adrank.loaders.hbase.ParentTable;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.ServedRecord;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.hbase.WriterLock;
import adrank.loaders.metrics.Metric;
import adrank.loaders.metrics.RunMetrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank publish}: load the schema's results from HBase into a new Hazelcast snapshot
 * version (from the executors, each with its own client), load the parent averages, verify count
 * and checksum, and only then activate the version. A failure marks the version FAILED and leaves
 * the active one as it was; a killed publish is cleaned up by the next one.
 *
 * <p>The version records its {@link FallbackRule} (key layout, {@code rank.parents},
 * {@code rank.parent-min-impressions}), which readers apply to its missing keys; a parent row of a
 * segment outside {@code rank.parents} fails the publish, and so does a stored number that is not
 * finite, naming the key ({@link SnapshotValueException}): nothing non-finite is loaded.
 *
 * <p>It reads under the schema's writer lock, so the snapshot holds one run's results, never a
 * mix of two: it waits up to {@code publish.lock-wait} for an hourly or daily run that holds the
 * lock, and fails at once, before creating a version, when another publish of the schema holds
 * it. The version is activated only while the lock is still held.
 */
public final class PublishJob {

    private static final Logger LOG = LoggerFactory.getLogger(PublishJob.class);

    private PublishJob() {
    }

    /**
     * What a publish did.
     *
     * @param load    the time the executors took to read HBase and load the entries map
     * @param elapsed the whole publish, Spark start included
     * @param served  keys written to the served record of the day ({@link ServedRecord})
     */
    public record Outcome(PublishResult result, Duration load, Duration elapsed, long served) {
    }

    /**
     * Publishes, then pushes the run's metrics (job {@code adrank_publish}: the version activated, its
     * entries and parent entries, the verify time; a failed publish pushes only that it failed).
     */
    public static Outcome run(RunContext ctx) throws IOException {
        return run(ctx, false);
    }

    /**
     * {@link #run(RunContext)}; {@code stage}: load and verify, keep the version READY as staged,
     * do not activate it ({@code publish --stage}). A publish while the schema is pinned does not
     * activate either ({@link PublishResult#activated()}).
     */
    public static Outcome run(RunContext ctx, boolean stage) throws IOException {
        AdrankConfig config = ctx.config();
        Instant start = ctx.clock().instant();
        Outcome outcome;
        try {
            outcome = SchemaLock.hold(ctx, "publish " + config.schema(), WriterLock.Purpose.PUBLISH,
                    config.publish().lockWait(), lock -> publishLocked(ctx, lock, stage));
        } catch (IOException | RuntimeException | Error e) {
            Instant end = ctx.clock().instant();
            ctx.push(RunMetrics.of(RunMetrics.Kind.PUBLISH, config.schema(), false, end, Duration.between(start, end)));
            throw e;
        }
        PublishResult r = outcome.result();
        ctx.push(RunMetrics.of(RunMetrics.Kind.PUBLISH, config.schema(), true, ctx.clock().instant(), outcome.elapsed())
                .set(Metric.SNAPSHOT_VERSION, r.change().after().active())
                .set(Metric.SNAPSHOT_ENTRIES, r.entries().count())
                .set(Metric.SNAPSHOT_PARENT_ENTRIES, r.parents().count())
                .set(Metric.PUBLISH_VERIFY, r.verifyMillis() / 1000.0));
        return outcome;
    }

    private static Outcome publishLocked(RunContext ctx, WriterLock.Held lock, boolean stage) throws IOException {
        AdrankConfig config = ctx.config();
        Instant start = ctx.clock().instant();
        SnapshotPublisher publisher = new SnapshotPublisher(ctx.hazelcast(), config.publish(),
                config.key().dimensions());
        FallbackRule fallback = FallbackRule.of(config.key(), config.rank().parents(),
                config.rank().settings().parentMinImpressions());
        Publication publication = publisher.begin(config.schema(), fallback);
        if (!publication.destroyedMaps().isEmpty()) {
            LOG.info("publish: cleaned up {} left by an earlier publish", publication.destroyedMaps());
        }
        LOG.info("publish: loading {} from {}", publication.entriesMap(), ctx.schema().ranks());
        PublishResult result;
        Duration load;
        try {
            SnapshotLoader entriesLoader = publication.entriesLoader(config.hazelcast());
            SnapshotLoader parentsLoader = publication.parentsLoader(config.hazelcast());
            long parentsComputedAt = start.toEpochMilli();
            SparkSession spark = ctx.spark();
            Instant loadStart = Instant.now();
            // the parents map loads while the entries do (another table, another Spark job): its tasks
            // wait on the region server and the member as much as they compute
            CompletableFuture<LoadResult> parents = CompletableFuture.supplyAsync(() -> {
                Instant parentsStart = Instant.now();
                LoadResult loaded = TableScans.rows(spark, config.hbase(), ctx.schema().parents(),
                                ParentTable.parentsScan().setCaching(1000).setCacheBlocks(false).setAsyncPrefetch(true))
                        .mapPartitions(rows -> List.of(parentsLoader.load(new MappedIterator<>(rows, pair -> {
                            String parentKey = Bytes.toString(pair._2().getRow());
                            int segment = fallback.requireSegmentOf(parentKey);
                            // a segment without a CPM, or below the rule's minimum and not the last resort, is never
                            // chosen, so it is left out (at seed scale most ad-level parents are below it)
                            SnapshotEntry parent = SnapshotRows.parent(parentKey, ParentTable.decode(pair._2()),
                                    parentsComputedAt);
                            return parent == null || !fallback.canAnswerWith(segment, parent.total().imps()) ? null
                                    : Map.entry(parentKey, parent);
                        }))).iterator())
                        .fold(LoadResult.ZERO, LoadResult::plus);
                LOG.info("publish: loaded {} parent segments in {} ms", loaded.count(),
                        Duration.between(parentsStart, Instant.now()).toMillis());
                return loaded;
            });
            LoadResult entries;
            try {
                entries = rankRows(ctx)
                        .mapPartitions(rows -> List.of(entriesLoader.load(new MappedIterator<>(rows, pair -> {
                            StoredRow row = StoredRow.decode(pair._2());
                            SnapshotEntry entry = SnapshotRows.entry(row);
                            return entry == null ? null : Map.entry(row.key(), entry);
                        }))).iterator())
                        .fold(LoadResult.ZERO, LoadResult::plus);
            } finally {
                // never leave the parents job running behind a failure (its error, if any, is the second one)
                try {
                    parents.join();
                } catch (CompletionException ignored) {
                    // reported below when the entries loaded
                }
            }
            load = Duration.between(loadStart, Instant.now());
            LoadResult parentsLoaded = unwrap(parents);
            LOG.info("publish: loaded {} entries and {} parents in {} ms ({} entries/s, {} entries + parents/s)",
                    entries.count(), parentsLoaded.count(), load.toMillis(),
                    entries.count() * 1000 / Math.max(1, load.toMillis()),
                    (entries.count() + parentsLoaded.count()) * 1000 / Math.max(1, load.toMillis()));
            ctx.phaseListener().entering("publish " + config.schema(), "commit");
            lock.requireHeld();
            result = publisher.commit(publication, entries, parentsLoaded, stage);
        } catch (Exception e) {
            // (Spark rethrows an executor's failure as a SparkException, a checked exception it does not declare)
            SnapshotValueException refused = cause(e, SnapshotValueException.class);
            String reason = refused != null ? refused.getMessage() : Failures.describe(e, config.hbase());
            int active;
            try {
                active = publisher.fail(config.schema(), publication.version(), reason).after().active();
            } catch (RuntimeException alreadyFinished) {
                e.addSuppressed(alreadyFinished);
                active = -1;
            }
            throw new RunFailedException("v" + publication.version() + " of schema " + config.schema()
                    + (refused != null ? " refused: " : " failed: ") + reason + ". Nothing of it was activated"
                    + (active < 0 ? "" : "; " + (active == 0 ? "no version" : "v" + active) + " stays active")
                    + ".", e);
        }
        // a version that was not activated (staged, or the schema pinned) serves nobody
        long served = result.activated() ? recordServed(ctx, LocalDate.ofInstant(start, ZoneOffset.UTC),
                result.version()) : 0;
        return new Outcome(result, load, Duration.between(start, Instant.now()), served);
    }

    /**
     * Writes what the activated version serves into the served record of {@code day} (still under the writer
     * lock, so the rows read are the ones just loaded): one cell per key with an entry, overwriting an earlier
     * publish of the same day.
     *
     * @throws RunFailedException if it cannot be written (the version stays active)
     */
    private static long recordServed(RunContext ctx, LocalDate day, int version) {
        AdrankConfig config = ctx.config();
        String table = ServedRecord.table(ctx.schema()).getNameAsString();
        try {
            ServedRecord.ensureTable(ctx.hbase(), ctx.schema(), config.limits().maxDays());
            HBaseConfig hbase = config.hbase();
            long written = rankRows(ctx)
                    .mapPartitions(rows -> {
                        long n = 0;
                        try (BatchWriter writer = BatchWriter.open(hbase, TableName.valueOf(table))) {
                            while (rows.hasNext()) {
                                StoredRow row = StoredRow.decode(rows.next()._2());
                                SnapshotEntry entry = SnapshotRows.entry(row);
                                if (entry != null) {
                                    writer.mutate(ServedRecord.put(row.key(), day, entry, version));
                                    n++;
                                }
                            }
                            writer.flush();
                        }
                        return List.of(n).iterator();
                    })
                    .fold(0L, Long::sum);
            LOG.info("publish: v{} recorded as served on {} for {} keys in {}", version, day, written, table);
            return written;
        } catch (Exception e) {
            throw new RunFailedException("v" + version + " of schema " + config.schema() + " is active, but recording "
                    + "what it serves on " + day + " in " + table + " failed: " + Failures.describe(e, config.hbase()),
                    e);
        }
    }

    /**
     * The rows of the ranks table a snapshot is made of, by region ({@link TableScans}; the ranks table's regions
     * are split at sampled key quantiles by its first hour, {@code RankRegions}). Sampling the table for key
     * ranges of equal row counts was tried: it costs a scan of every row on the region server, 10 s of a
     * seed-scale publish, and the full bench's publish took 58.4 s in all with it against 46.8 s by region (same
     * stack and data, same checksum).
     */
    private static JavaPairRDD<ImmutableBytesWritable, Result> rankRows(RunContext ctx) {
        return TableScans.rows(ctx.spark(), ctx.config().hbase(), ctx.schema().ranks(),
                snapshotColumns().setAsyncPrefetch(true));
    }

    /** The value of a finished future, its failure rethrown unwrapped (as the same code in this thread would). */
    private static LoadResult unwrap(CompletableFuture<LoadResult> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The first {@code type} in the cause chain of {@code e}, or null. */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Only what a snapshot entry (and the served record) holds: not the hour cells nor the by-day lists, the
     * bulk of a row. The served record scans again, after the version is active: it must never hold a version
     * that was not served.
     */
    private static Scan snapshotColumns() {
        return new Scan().addColumn(RankSchema.STATE, RankSchema.TODAY)
                .addColumn(RankSchema.STATE, RankSchema.TOTAL)
                .addColumn(RankSchema.RESULT, RankSchema.RANKING.qualifier())
                .addColumn(RankSchema.RESULT, RankSchema.VPC.qualifier())
                .setCaching(1000).setCacheBlocks(false)
                // the next rows are fetched while this batch is converted and loaded
                .setAsyncPrefetch(true);
    }
}
