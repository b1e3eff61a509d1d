package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.ParentWriter;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.ResultWriter;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.hbase.TableScans;
import adrank.loaders.hive.Quarantine;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.result.KeyState;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import adrank.udfs.result.SegmentSumsBlob;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
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

    /** What the stage did. */
    public record Outcome(long keys, long parents, long faulty, String quarantine) {
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
        List<List<String>> segments = config.rank().parents();
        long started = System.nanoTime();
        ctx.hbaseWithTables(); // the parents table exists before the executors write to it
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());

        JavaRDD<KeyState> states = TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().ranks(),
                        new Scan().addFamily(RankSchema.STATE).addColumn(RankSchema.RESULT, ResultWriter.ERROR)
                                .setCaching(1000).setCacheBlocks(false))
                .map(pair -> {
                    StoredRow row = StoredRow.decode(pair._2());
                    return new KeyState(row.key(), row.open(), row.total(), row.byDay(),
                            row.results().containsKey("error"));
                })
                .filter(state -> !state.isEmpty()) // no data left: no result, no share in any parent
                // deserialized: the states are read twice (parents, results) and never shuffled
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<String, SegmentSums> parentSums = null;
        ParentModels parents = null;
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
            LongAccumulator parentsStored = ctx.spark().sparkContext().longAccumulator("parents stored");
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
            Broadcast<ParentModels> broadcast =
                    jsc.broadcast(parents);
            long broadcasted = System.nanoTime();
            LOG.info("results: parent segments collected and broadcast in {} ms ({} MB packed)",
                    (broadcasted - stored) / 1_000_000, parents.bytes() >> 20);
            LongAccumulator parentsRemoved = ctx.spark().sparkContext().longAccumulator("parents removed");
            TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().parents(),
                            new Scan().setFilter(new KeyOnlyFilter()).setCaching(1000).setCacheBlocks(false))
                    .foreachPartition(ParentWriter.removeOthers(config.hbase(), config.namespace(), broadcast, writeVersion,
                            parentsRemoved));
            if (parentsRemoved.value() > 0) {
                LOG.info("results: {} parent segments without keys removed", parentsRemoved.value());
            }
            long parentCount = parentsStored.value();

            LongAccumulator written = ctx.spark().sparkContext().longAccumulator("results written");
            LongAccumulator faultyCount = ctx.spark().sparkContext().longAccumulator("results faulty");
            JavaRDD<Row> faulty = states.mapPartitions(new ResultWriter(config.hbase(), config.namespace(), broadcast,
                    parentKeys, segments, config.rank().noiseSegment(), config.rank().settings(), period, vpcAsOf, runId, writeVersion, written,
                    faultyCount));
            // repartition (not coalesce) so the writer tasks keep their parallelism
            Dataset<Row> faultyRows = ctx.spark().createDataFrame(faulty, FAULTY);
            String quarantine = new Quarantine(config.input().quarantineDir(), "results").location(unitName);
            faultyRows.repartition(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).json(quarantine);
            // blocking removals: asynchronous ones race the session stop at exit (warnings, rejected tasks)
            broadcast.unpersist(true);
            broadcast.destroy();
            long keysDone = System.nanoTime();
            LOG.info("results: {} keys ranked{} and written in {} ms ({}/s), {} parent segments, {} faulty keys "
                    + "quarantined", written.value(), vpcAsOf == null ? "" : " with VPC",
                    (keysDone - broadcasted) / 1_000_000,
                    written.value() * 1_000_000_000L / Math.max(1, keysDone - broadcasted), parentCount,
                    faultyCount.value());
            return new Outcome(written.value(), parentCount, faultyCount.value(), quarantine);
        } finally {
            states.unpersist(true);
            if (parentSums != null) {
                parentSums.unpersist(true);
            }
            if (parents != null) {
                parents.release();
            }
        }
    }
}
