package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Executor side of storing the parent averages: {@link #models} derives and writes a partition of parent
 * models (one {@link BatchWriter} per partition, one packed cell per parent),
 * {@link #removeOthers} deletes the rows of a partition of the parents table's keys that are not
 * among the current parents (segments that no longer have any key).
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
            long count = 0;
            BatchWriter mutator = null;
            try {
                while (rows.hasNext()) {
                    byte[] row = rows.next()._2().getRow();
                    if (keep.containsKey(Bytes.toString(row))) {
                        continue;
                    }
                    if (mutator == null) { // most partitions have nothing to remove: no connection for them
                        mutator = BatchWriter.open(hbase, new RankSchema(namespace).parents());
                    }
                    mutator.mutate(new Delete(row, writeVersion));
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
            removed.add(count);
        };
    }
}
