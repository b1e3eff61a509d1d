package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.KeyDay;
import adrank.udfs.stats.DayId;
import adrank.udfs.stats.Limits;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.filter.ColumnPrefixFilter;
import org.apache.hadoop.hbase.filter.FamilyFilter;
import org.apache.hadoop.hbase.filter.FilterList;
import org.apache.hadoop.hbase.filter.BinaryComparator;
import org.apache.hadoop.hbase.filter.CompareFilter;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Executor side of {@code daily}: for every row of the ranks table, folds day D's hour cells into
 * the by-day lists, recomputes total-to-limit and closes D (and older open days) by
 * {@link KeyDay#afterFold}, writing only what changed. A key whose whole history aged out of the
 * window and that has nothing open loses its state and result cells (it leaves the next snapshot).
 */
public final class DailyFolder implements VoidFunction<Iterator<Tuple2<ImmutableBytesWritable, Result>>> {

    private static final long serialVersionUID = 1L;

    private final HBaseConfig hbase;
    private final String namespace;
    private final LocalDate day;
    private final LocalDate windowEnd;
    private final Limits limits;
    private final long writeVersion;
    private final LongAccumulator keysScanned;
    private final LongAccumulator keysChanged;
    private final LongAccumulator keysAged;

    public DailyFolder(HBaseConfig hbase, String namespace, LocalDate day, LocalDate windowEnd, Limits limits,
            long writeVersion, LongAccumulator keysScanned, LongAccumulator keysChanged, LongAccumulator keysAged) {
        this.hbase = hbase;
        this.namespace = namespace;
        this.day = day;
        this.windowEnd = windowEnd;
        this.limits = limits;
        this.writeVersion = writeVersion;
        this.keysScanned = keysScanned;
        this.keysChanged = keysChanged;
        this.keysAged = keysAged;
    }

    /** The scan a fold needs: the state family, and only day D's cells of the hours family. */
    public static Scan scan(LocalDate day) {
        FilterList stateOrDayCells = new FilterList(FilterList.Operator.MUST_PASS_ONE,
                new FamilyFilter(CompareFilter.CompareOp.EQUAL, new BinaryComparator(RankSchema.STATE)),
                new ColumnPrefixFilter(Bytes.toBytes(DayId.of(day))));
        return new Scan().addFamily(RankSchema.STATE).addFamily(RankSchema.HOURS).setFilter(stateOrDayCells)
                .setCaching(1000).setCacheBlocks(false);
    }

    @Override
    public void call(Iterator<Tuple2<ImmutableBytesWritable, Result>> rows) throws IOException {
        if (!rows.hasNext()) {
            return;
        }
        RankSchema schema = new RankSchema(namespace);
        String dayPrefix = DayId.of(day);
        long scanned = 0;
        long changed = 0;
        long aged = 0;
        try (BatchWriter mutator = BatchWriter.open(hbase, schema.ranks())) {
            while (rows.hasNext()) {
                Result row = rows.next()._2();
                scanned++;
                List<Counters> dayCells = new ArrayList<>();
                for (Cell cell : row.rawCells()) {
                    if (CellUtil.matchingFamily(cell, RankSchema.HOURS)
                            && Bytes.toString(CellUtil.cloneQualifier(cell)).startsWith(dayPrefix)) {
                        dayCells.add(Counters.decode(Bytes.toString(CellUtil.cloneValue(cell))));
                    }
                }
                KeyDay.State before = StateCells.read(row);
                KeyDay.State after = KeyDay.afterFold(before, day, dayCells, windowEnd, limits);
                Put put = new Put(row.getRow(), writeVersion);
                Delete delete = new Delete(row.getRow());
                if (StateCells.write(before, after, put, delete, writeVersion)) {
                    changed++;
                }
                if (after.isEmpty() && !before.isEmpty()) {
                    aged++;
                }
                if (!put.isEmpty()) {
                    mutator.mutate(put);
                }
                if (!delete.isEmpty()) {
                    mutator.mutate(delete);
                }
            }
            mutator.flush();
        }
        keysScanned.add(scanned);
        keysChanged.add(changed);
        keysAged.add(aged);
    }
}
