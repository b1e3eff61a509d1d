package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DailyFold;
import adrank.udfs.stats.DayId;
import adrank.udfs.stats.Limits;
import adrank.udfs.stats.Today;
import adrank.udfs.stats.Total;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
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
 * the by-day lists, recomputes total-to-limit and resets today, writing only what changed.
 */
public final class DailyFolder implements VoidFunction<Iterator<Tuple2<ImmutableBytesWritable, Result>>> {

    private static final long serialVersionUID = 1L;

    private final HBaseConfig hbase;
    private final String namespace;
    private final LocalDate day;
    private final LocalDate windowEnd;
    private final Limits limits;
    private final long writeTs;
    private final LongAccumulator keysScanned;
    private final LongAccumulator keysChanged;

    public DailyFolder(HBaseConfig hbase, String namespace, LocalDate day, LocalDate windowEnd, Limits limits,
            long writeTs, LongAccumulator keysScanned, LongAccumulator keysChanged) {
        this.hbase = hbase;
        this.namespace = namespace;
        this.day = day;
        this.windowEnd = windowEnd;
        this.limits = limits;
        this.writeTs = writeTs;
        this.keysScanned = keysScanned;
        this.keysChanged = keysChanged;
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
        try (Connection connection = ConnectionFactory.createConnection(hbase.toHadoopConfiguration());
                BatchWriter mutator = new BatchWriter(connection, schema.ranks(), hbase.writeBatchRows())) {
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
                String[] storedLists = new String[RankSchema.BY_DAY.length];
                for (int i = 0; i < storedLists.length; i++) {
                    storedLists[i] = value(row, RankSchema.BY_DAY[i]);
                }
                ByDay stored = ByDay.decode(storedLists[0], storedLists[1], storedLists[2], storedLists[3],
                        storedLists[4], storedLists[5]);
                String storedTotal = value(row, RankSchema.TOTAL);
                String storedToday = value(row, RankSchema.TODAY);

                DailyFold.Result folded = DailyFold.fold(stored, day, dayCells, windowEnd, limits);
                Put put = new Put(row.getRow(), writeTs);
                Delete delete = new Delete(row.getRow());
                List<String> lists = folded.byDay().encode();
                if (folded.byDay().isEmpty()) {
                    if (storedLists[0] != null) {
                        for (byte[] qualifier : RankSchema.BY_DAY) {
                            delete.addColumns(RankSchema.STATE, qualifier, writeTs);
                        }
                    }
                } else if (!lists.equals(Arrays.asList(storedLists))) {
                    for (int i = 0; i < lists.size(); i++) {
                        put.addColumn(RankSchema.STATE, RankSchema.BY_DAY[i], Bytes.toBytes(lists.get(i)));
                    }
                }
                Total total = folded.total();
                if (total == null) {
                    if (storedTotal != null) {
                        delete.addColumns(RankSchema.STATE, RankSchema.TOTAL, writeTs);
                    }
                } else if (!total.encode().equals(storedTotal)) {
                    put.addColumn(RankSchema.STATE, RankSchema.TOTAL, Bytes.toBytes(total.encode()));
                }
                if (storedToday != null && Today.resetByDaily(day, Today.decode(storedToday).day())) {
                    delete.addColumns(RankSchema.STATE, RankSchema.TODAY, writeTs);
                }
                if (!put.isEmpty()) {
                    mutator.mutate(put);
                }
                if (!delete.isEmpty()) {
                    mutator.mutate(delete);
                }
                if (!put.isEmpty() || !delete.isEmpty()) {
                    changed++;
                }
            }
            mutator.flush();
        }
        keysScanned.add(scanned);
        keysChanged.add(changed);
    }

    private static String value(Result row, byte[] qualifier) {
        byte[] value = row.getValue(RankSchema.STATE, qualifier);
        return value == null ? null : Bytes.toString(value);
    }
}
