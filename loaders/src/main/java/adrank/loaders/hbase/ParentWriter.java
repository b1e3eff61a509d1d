package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.spark.MaxAccumulator;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.result.AdParents;
import adrank.udfs.result.KeyRuns;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.ParentLayout;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.PartialSums;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Executor side of storing the parent averages: {@link #models} derives and writes a partition of parent
 * models (one {@link BatchWriter} per partition, one packed cell per parent),
 * {@link #removeOthers} deletes the rows of a partition of the parents table's keys that are not
 * among the current parents (segments that no longer have any key). {@link #byAd} and
 * {@link #removeOlder} do the same without any task holding every parent (README "Parents by ad").
 */
public final class ParentWriter {

    private ParentWriter() {
    }

    /** Writes every parent model of a partition. */
    public static VoidFunction<Iterator<Tuple2<String, SegmentSums>>> models(HBaseConfig hbase, String namespace,
            RankSettings settings, long writeVersion, LongAccumulator written) {
        return parents -> {
            if (!parents.hasNext()) {
                return;
            }
            long count = 0;
            try (BatchWriter mutator = BatchWriter.open(hbase, new RankSchema(namespace).parents())) {
                while (parents.hasNext()) {
                    Tuple2<String, SegmentSums> sums = parents.next();
                    mutator.mutate(ParentTable.put(ParentModel.of(sums._1(), sums._2(), settings), writeVersion));
                    count++;
                }
                mutator.flush();
            }
            written.add(count);
        };
    }

    /** Deletes the stored parents of a partition of the table's rows that are not current. */
    public static VoidFunction<Iterator<Tuple2<ImmutableBytesWritable, Result>>> removeOthers(HBaseConfig hbase,
            String namespace, Broadcast<ParentModels> current, long writeVersion, LongAccumulator removed) {
        return rows -> {
            Map<String, ParentModel> keep = current.value().models();
            removed.add(deleteUnless(hbase, namespace, rows, writeVersion,
                    row -> keep.containsKey(Bytes.toString(row.getRow()))));
        };
    }

    /**
     * Sums a partition of key states (in key order) by ad: writes the parents that the partition's
     * runs complete ({@link AdParents#sum}: the ad-scoped parents of the ads wholly inside it) and
     * returns the partition's partial sums of every other segment, to be merged across partitions. A
     * task holds one ad's keys and the partial sums of the partition (segments of many ads, and the
     * ads at its two ends), never the parents of other partitions.
     */
    public static PairFlatMapFunction<Iterator<KeyState>, String, PartialSums> byAd(HBaseConfig hbase,
            String namespace, ParentLayout layout, RankSettings settings, long writeVersion, LongAccumulator written,
            MaxAccumulator largestRun) {
        return states -> {
            Map<String, PartialSums> partials = new HashMap<>();
            if (!states.hasNext()) {
                return List.<scala.Tuple2<String, PartialSums>>of().iterator();
            }
            long count = 0;
            try (BatchWriter mutator = BatchWriter.open(hbase, new RankSchema(namespace).parents())) {
                KeyRuns<AdParents.Keyed> runs = AdParents.runs(states, layout);
                while (runs.hasNext()) {
                    KeyRuns.Run<AdParents.Keyed> run = runs.next();
                    largestRun.add((long) run.items().size());
                    for (Map.Entry<String, SegmentSums> parent : AdParents.sum(run, layout, partials).entrySet()) {
                        mutator.mutate(ParentTable.put(ParentModel.of(parent.getKey(), parent.getValue(), settings),
                                writeVersion));
                        count++;
                    }
                }
                mutator.flush();
            }
            written.add(count);
            List<scala.Tuple2<String, PartialSums>> out = new ArrayList<>(partials.size());
            partials.forEach((key, sums) -> out.add(new scala.Tuple2<>(key, sums)));
            return out.iterator();
        };
    }

    /**
     * Deletes the rows of a partition of the parents table (scanned with their cells' timestamps) that
     * the current stage did not write: every current parent was written at {@code writeVersion}, so a
     * row whose newest cell is older has no key left. Needs no set of the current parents.
     */
    public static VoidFunction<Iterator<Tuple2<ImmutableBytesWritable, Result>>> removeOlder(HBaseConfig hbase,
            String namespace, long writeVersion, LongAccumulator removed) {
        return rows -> removed.add(deleteUnless(hbase, namespace, rows, writeVersion, row -> {
            long newest = Long.MIN_VALUE;
            for (Cell cell : row.rawCells()) {
                newest = Math.max(newest, cell.getTimestamp());
            }
            return newest >= writeVersion;
        }));
    }

    /**
     * Deletes (at {@code writeVersion - 1}) the parents rows of a partition that {@code current} does not keep;
     * opens a connection only when there is something to delete (most partitions have nothing). The count.
     */
    private static long deleteUnless(HBaseConfig hbase, String namespace,
            Iterator<Tuple2<ImmutableBytesWritable, Result>> rows, long writeVersion,
            java.util.function.Predicate<Result> current) throws java.io.IOException {
        long count = 0;
        BatchWriter mutator = null;
        try {
            while (rows.hasNext()) {
                Result row = rows.next()._2();
                if (current.test(row)) {
                    continue;
                }
                if (mutator == null) {
                    mutator = BatchWriter.open(hbase, new RankSchema(namespace).parents());
                }
                // at the version before the stage's: every cell of such a row is older, and a marker at the stage's
                // own version would also hide the cells the stage writes into the row later (noise models, τ²)
                mutator.mutate(new Delete(row.getRow(), writeVersion - 1));
                count++;
            }
            if (mutator != null) {
                mutator.flush();
            }
        } finally {
            if (mutator != null) {
                mutator.close();
            }
        }
        return count;
    }
}
