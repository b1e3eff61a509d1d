package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.ParentWriter;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.ResultWriter;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.hbase.TableScans;
import adrank.loaders.hive.Quarantine;
import adrank.udfs.key.ParentKeys;
import adrank.loaders.spark.MaxAccumulator;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.result.KeyRuns;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.NoiseModel;
import adrank.udfs.result.ParentLayout;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.PartialSums;
import adrank.udfs.result.ResultsBasis;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import adrank.udfs.result.SegmentSumsBlob;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The result stage that ends every hourly and daily run: read every key's statistics once,
 * aggregate the parent segments, store the parent averages, then compute and store every key's
 * result row (rank and drift; with the VPC after a daily fold). Keys whose counters are faulty
 * get no result and are quarantined with the reason.
 */
public final class ResultsStage {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsStage.class);

    private static final StructType FAULTY = new StructType().add("key", DataTypes.StringType)
            .add("reason", DataTypes.StringType).add("detail", DataTypes.StringType);

    private ResultsStage() {
    }

    /**
     * What the stage did.
     *
     * @param parents        parent segments stored
     * @param parentsShipped parent segments sent to every task: all of them on the broadcast path, the shared
     *                       ones (segments of many ads, the ads cut by a partition boundary) by ad
     */
    public record Outcome(long keys, long parents, long faulty, String quarantine, long parentsShipped) {
    }

    /** The impressions of every key, from the global segment (0 when there is none: no key has data). */
    private static long globalImpressions(ParentModels parents) {
        ParentModel global = parents.models().get(ParentKeys.GLOBAL);
        return global == null ? 0 : global.sums().imps().min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /**
     * Runs the stage.
     *
     * @param unitName names the quarantine directory of faulty keys, e.g. {@code hour=2026110105}
     * @param period   the day the run applied (the hour's day, or the folded day): drift compares it
     * @param vpcAsOf  the folded day (daily), or null to refresh only rank and drift (hourly)
     */
    public static Outcome run(RunContext ctx, String unitName, LocalDate period, LocalDate vpcAsOf, String runId,
            long writeVersion)
            throws IOException {
        AdrankConfig config = ctx.config();
        ParentKeys parentKeys = new ParentKeys(config.key().dimensions(), config.key().separator());
        long started = System.nanoTime();
        ctx.hbaseWithTables(); // the parents table exists before the executors write to it

        JavaRDD<KeyState> states = TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().ranks(),
                        new Scan().addFamily(RankSchema.STATE).addColumn(RankSchema.RESULT, ResultWriter.ERROR)
                                .setCaching(1000).setCacheBlocks(false))
                .map(pair -> {
                    StoredRow row = StoredRow.decode(pair._2());
                    return new KeyState(row.key(), row.open(), row.total(), row.byDay(),
                            row.results().containsKey("error"));
                })
                .filter(state -> !state.isEmpty()) // no data left: no result, no share in any parent
                // deserialized: the states are read several times (parents, τ², results) and never shuffled;
                // the scan's partitions are key ranges in key order, which the by-ad path relies on
                .persist(StorageLevel.MEMORY_AND_DISK());
        // the parents table is rewritten from here on: no incremental hour may rank against it until this completes
        ctx.ledger().clearResultsBasis();
        long[] impressions = new long[1];
        try {
            Outcome outcome = config.rank().parentsByAd()
                    ? byAd(ctx, states, unitName, period, vpcAsOf, runId, writeVersion, started, impressions)
                    : broadcast(ctx, states, parentKeys, unitName, period, vpcAsOf, runId, writeVersion, started,
                            impressions);
            ctx.ledger().recordResultsBasis(new ResultsBasis(writeVersion, config.rank().resultsFingerprint(
                    config.key().dimensions()), impressions[0]));
            return outcome;
        } finally {
            states.unpersist(true);
        }
    }


    /**
     * By ad (rank.parents-join = by-ad): an HBase scan partition is a key range in key order, so it holds
     * whole ads but its first and last ({@link KeyRuns}). The parents of an ad's own segments (those
     * containing the first key dimension) are summed, stored and used where the ad's keys are; only the
     * segments of many ads and the cut ads' segments are reduced across partitions and sent to every task.
     * Three passes over the persisted states: parents (stored, shared sums out), the shared parents' τ²,
     * results. Every sum is exact, so the results equal the broadcast path's bit for bit.
     */
    private static Outcome byAd(RunContext ctx, JavaRDD<KeyState> states, String unitName, LocalDate period,
            LocalDate vpcAsOf, String runId, long writeVersion, long started, long[] impressions) {
        AdrankConfig config = ctx.config();
        RankSettings settings = config.rank().settings();
        ParentLayout layout = new ParentLayout(new ParentKeys(config.key().dimensions(), config.key().separator()),
                config.key().dimensions(), config.rank().parents(), config.rank().noiseSegment());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
        JavaPairRDD<String, PartialSums> shared = null;
        ParentModels parents = null;
        Broadcast<ParentModels> broadcast = null;
        try {
            LongAccumulator storedByAd = jsc.sc().longAccumulator("parents stored by ad");
            MaxAccumulator largestAd = new MaxAccumulator();
            jsc.sc().register(largestAd, "largest run of one ad's keys");
            shared = states.mapPartitionsToPair(ParentWriter.byAd(config.hbase(), config.namespace(), layout, settings,
                            writeVersion, storedByAd, largestAd))
                    .reduceByKey(PartialSums::plus)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            JavaPairRDD<String, SegmentSums> sharedParents = shared.filter(p -> p._2().parent() != null)
                    .mapToPair(p -> new Tuple2<>(p._1(), p._2().parent()));
            LongAccumulator storedShared = jsc.sc().longAccumulator("shared parents stored");
            sharedParents.foreachPartition(ParentWriter.models(config.hbase(), config.namespace(), settings,
                    writeVersion, storedShared));
            long stored = System.nanoTime();
            LOG.info("results: {} parent segments aggregated by ad and {} shared ones (segments of many ads, ads cut "
                    + "by a partition boundary) aggregated across partitions, stored in {} ms; largest ad {} keys",
                    storedByAd.value(), storedShared.value(), (stored - started) / 1_000_000, largestAd.value());
            parents = new ParentModels(sharedParents
                    .mapPartitions(sums -> List.of(SegmentSumsBlob.pack(new MappedIterator<>(sums,
                            pair -> Map.entry(pair._1(), pair._2())))).iterator())
                    .collect(), settings);
            if (config.rank().empiricalBayes()) {
                Map<String, NoiseModel> noise = new HashMap<>();
                shared.filter(p -> p._2().noise() != null).mapValues(PartialSums::noise).collectAsMap()
                        .forEach((key, sums) -> {
                            NoiseModel model = NoiseModel.of(sums);
                            if (model != null) {
                                noise.put(key, model);
                            }
                        });
                parents = PriorStrengths.fitByAd(jsc, states, parents.withShrinkage(noise, Map.of()), layout,
                        settings, noise);
            }
            impressions[0] = globalImpressions(parents);
            broadcast = jsc.broadcast(parents);
            long broadcasted = System.nanoTime();
            LOG.info("results: {} shared parent segments collected and broadcast in {} ms ({} KB packed)",
                    storedShared.value(), (broadcasted - stored) / 1_000_000, parents.bytes() >> 10);
            LongAccumulator parentsRemoved = jsc.sc().longAccumulator("parents removed");
            TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().parents(),
                            new Scan().setFilter(new KeyOnlyFilter()).setCaching(1000).setCacheBlocks(false))
                    .foreachPartition(ParentWriter.removeOlder(config.hbase(), config.namespace(), writeVersion,
                            parentsRemoved));
            if (parentsRemoved.value() > 0) {
                LOG.info("results: {} parent segments without keys removed", parentsRemoved.value());
            }
            long parentCount = storedByAd.value() + storedShared.value();
            return writeResults(ctx, states, ResultWriter.byAd(config.hbase(), config.namespace(), broadcast, layout,
                    settings, period, vpcAsOf, runId, writeVersion, jsc.sc().longAccumulator("results written"),
                    jsc.sc().longAccumulator("results faulty")), unitName, vpcAsOf, broadcasted, parentCount,
                    storedShared.value());
        } finally {
            if (broadcast != null) {
                // blocking removals: asynchronous ones race the session stop at exit (warnings, rejected tasks)
                broadcast.unpersist(true);
                broadcast.destroy();
            }
            if (shared != null) {
                shared.unpersist(true);
            }
            if (parents != null) {
                parents.release();
            }
        }
    }

    /** Every parent to every task (rank.parents-join = broadcast): the first version, kept as the reference. */
    private static Outcome broadcast(RunContext ctx, JavaRDD<KeyState> states, ParentKeys parentKeys, String unitName,
            LocalDate period, LocalDate vpcAsOf, String runId, long writeVersion, long started, long[] impressions) {
        AdrankConfig config = ctx.config();
        List<List<String>> segments = config.rank().parents();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
        JavaPairRDD<String, SegmentSums> parentSums = null;
        ParentModels parents = null;
        Broadcast<ParentModels> broadcast = null;
        try {
            RankSettings settings = config.rank().settings();
            parentSums = states
                    .flatMapToPair(state -> {
                        SegmentSums contribution = SegmentSums.of(state.rankCounters());
                        List<String> components = parentKeys.components(state.key());
                        List<Tuple2<String, SegmentSums>> out = new ArrayList<>(segments.size());
                        for (List<String> segment : segments) {
                            out.add(new Tuple2<>(parentKeys.of(components, segment), contribution));
                        }
                        return out.iterator();
                    })
                    .reduceByKey(SegmentSums::plus)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            // the parents are stored from the executors, then shipped to every task as packed sums
            LongAccumulator parentsStored = jsc.sc().longAccumulator("parents stored");
            parentSums.foreachPartition(ParentWriter.models(config.hbase(), config.namespace(), settings, writeVersion,
                    parentsStored));
            long stored = System.nanoTime();
            LOG.info("results: {} parent segments aggregated over the stored keys and stored in {} ms",
                    parentsStored.value(), (stored - started) / 1_000_000);
            parents = new ParentModels(parentSums
                    .mapPartitions(sums -> List.of(SegmentSumsBlob.pack(new MappedIterator<>(sums,
                            pair -> Map.entry(pair._1(), pair._2()))))
                            .iterator())
                    .collect(), settings);
            if (config.rank().empiricalBayes()) {
                ParentModels fitted = PriorStrengths.fit(jsc, states.map(state -> new Tuple2<>("", state)), parents,
                        parentKeys, segments, config.rank().noiseSegment(), settings);
                parents = fitted; // shares the unpacked models; released with it when the stage ends
            }
            impressions[0] = globalImpressions(parents);
            broadcast = jsc.broadcast(parents);
            long broadcasted = System.nanoTime();
            LOG.info("results: parent segments collected and broadcast in {} ms ({} MB packed)",
                    (broadcasted - stored) / 1_000_000, parents.bytes() >> 20);
            LongAccumulator parentsRemoved = jsc.sc().longAccumulator("parents removed");
            TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().parents(),
                            new Scan().setFilter(new KeyOnlyFilter()).setCaching(1000).setCacheBlocks(false))
                    .foreachPartition(ParentWriter.removeOthers(config.hbase(), config.namespace(), broadcast, writeVersion,
                            parentsRemoved));
            if (parentsRemoved.value() > 0) {
                LOG.info("results: {} parent segments without keys removed", parentsRemoved.value());
            }
            long parentCount = parentsStored.value();
            return writeResults(ctx, states, new ResultWriter(config.hbase(), config.namespace(), broadcast,
                    parentKeys, segments, config.rank().noiseSegment(), settings, period, vpcAsOf, runId,
                    writeVersion, jsc.sc().longAccumulator("results written"),
                    jsc.sc().longAccumulator("results faulty")), unitName, vpcAsOf, broadcasted, parentCount,
                    parentCount);
        } finally {
            if (broadcast != null) {
                broadcast.unpersist(true);
                broadcast.destroy();
            }
            if (parentSums != null) {
                parentSums.unpersist(true);
            }
            if (parents != null) {
                parents.release();
            }
        }
    }

    /**
     * The outcome of incremental results ({@link adrank.loaders.hbase.BasisResults}, computed by the hour's writer):
     * quarantines the faulty keys ({@code key \t reason \t detail}) as the full stage does.
     */
    public static Outcome incremental(RunContext ctx, String unitName, long written, List<String> faulty) {
        List<Row> rows = new ArrayList<>(faulty.size());
        for (String line : faulty) {
            String[] f = line.split("\t", 3);
            rows.add(org.apache.spark.sql.RowFactory.create(f[0], f[1], f[2]));
        }
        String quarantine = new Quarantine(ctx.config().input().quarantineDir(), "results").location(unitName);
        ctx.spark().createDataFrame(rows, FAULTY).repartition(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite)
                .json(quarantine);
        LOG.info("results: {} keys the hour touched ranked against the parents of the last full stage, {} faulty keys "
                + "quarantined", written, faulty.size());
        return new Outcome(written, 0, faulty.size(), quarantine, 0);
    }

    /** Computes and writes every key's result, and quarantines the faulty keys. */
    private static Outcome writeResults(RunContext ctx, JavaRDD<KeyState> states, ResultWriter writer, String unitName,
            LocalDate vpcAsOf, long since, long parentCount, long parentsShipped) {
        AdrankConfig config = ctx.config();
        JavaRDD<Row> faulty = states.mapPartitions(writer);
        // repartition (not coalesce) so the writer tasks keep their parallelism
        Dataset<Row> faultyRows = ctx.spark().createDataFrame(faulty, FAULTY);
        String quarantine = new Quarantine(config.input().quarantineDir(), "results").location(unitName);
        faultyRows.repartition(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).json(quarantine);
        long keysDone = System.nanoTime();
        long written = writer.keysWritten();
        long faultyCount = writer.keysFaulty();
        LOG.info("results: {} keys ranked{} and written in {} ms ({}/s), {} parent segments, {} faulty keys "
                + "quarantined", written, vpcAsOf == null ? "" : " with VPC", (keysDone - since) / 1_000_000,
                written * 1_000_000_000L / Math.max(1, keysDone - since), parentCount, faultyCount);
        return new Outcome(written, parentCount, faultyCount, quarantine, parentsShipped);
    }
}
