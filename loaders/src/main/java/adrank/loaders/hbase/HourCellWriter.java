package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayId;
import adrank.udfs.stats.HourId;
import adrank.udfs.stats.KeyDay;
import adrank.udfs.stats.Limits;
import java.time.LocalDate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.MultipleColumnPrefixFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of {@code hourly}: writes one hour's cell per key and applies the hour to the
 * key's state by {@link KeyDay#afterHour}: an open day's entry is recomputed from that day's hour
 * cells; an hour of an already folded day (late data) re-folds that day's by-day entry and the
 * total at once, and never re-opens the day.
 *
 * <p>Each partition opens its own {@link BatchWriter}; keys are handled in
 * batches: one multi-get reads the batch's other hour cells of the day and its stored state,
 * then the new hour cell and the changed state cells are buffered. Input rows are
 * {@code (key, imps, clicks, convs, rev, val)}; a row with null counters removes the key's cell
 * for the hour (a re-run in which the key no longer appears). Every cell is written with the
 * run's write version, so a later run's writes always win over an earlier run's, deletes included,
 * whatever the clocks of the hosts that ran them ({@link adrank.udfs.run.WriteOrder}).
 */
public final class HourCellWriter implements ForeachPartitionFunction<Row> {

    private static final long serialVersionUID = 1L;

    private final HBaseConfig hbase;
    private final String namespace;
    private final HourId hour;
    private final KeyDay.Phase dayPhase;
    private final LocalDate windowEnd;
    private final Limits limits;
    private final long writeVersion;
    private final LongAccumulator keysWritten;
    private final LongAccumulator keysRemoved;

    /**
     * @param dayPhase  where the hour's day stands ({@link KeyDay#phase}): open, or folded (the
     *                  hour then re-folds the day instead of opening it)
     * @param windowEnd the newest folded day of the schema (null when none), for a re-fold
     */
    public HourCellWriter(HBaseConfig hbase, String namespace, HourId hour, KeyDay.Phase dayPhase, LocalDate windowEnd,
            Limits limits, long writeVersion, LongAccumulator keysWritten, LongAccumulator keysRemoved) {
        this.hbase = hbase;
        this.namespace = namespace;
        this.hour = hour;
        this.dayPhase = dayPhase;
        this.windowEnd = windowEnd;
        this.limits = limits;
        this.writeVersion = writeVersion;
        this.keysWritten = keysWritten;
        this.keysRemoved = keysRemoved;
    }

    /**
     * Column prefixes of the multi-get: the day's hour cells, the open days and the total; the
     * by-day lists (up to {@code limits.max-days} entries each) only when the hour re-folds a day.
     * An open day's hour never changes the history, and the small total tells whether there is one.
     */
    private byte[][] stateAndDayPrefixes(byte[] dayPrefix) {
        int lists = dayPhase == KeyDay.Phase.FOLDED ? RankSchema.BY_DAY.length : 0;
        byte[][] prefixes = new byte[3 + lists][];
        prefixes[0] = dayPrefix;
        prefixes[1] = RankSchema.TODAY;
        prefixes[2] = RankSchema.TOTAL;
        for (int i = 0; i < lists; i++) {
            prefixes[3 + i] = RankSchema.BY_DAY[i];
        }
        return prefixes;
    }

    @Override
    public void call(Iterator<Row> rows) throws IOException {
        if (!rows.hasNext()) {
            return;
        }
        RankSchema schema = new RankSchema(namespace);
        byte[] hourQualifier = Bytes.toBytes(hour.id());
        byte[] dayPrefix = Bytes.toBytes(DayId.of(hour.day()));
        try (BatchWriter mutator = BatchWriter.open(hbase, schema.ranks())) {
            Table table = mutator.table();
            List<Row> batch = new ArrayList<>(hbase.readBatchSize());
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == hbase.readBatchSize() || !rows.hasNext()) {
                    writeBatch(batch, table, mutator, hourQualifier, dayPrefix);
                    batch.clear();
                }
            }
            mutator.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeBatch(List<Row> batch, Table table, BatchWriter mutator, byte[] hourQualifier,
            byte[] dayPrefix) throws IOException {
        List<Get> gets = new ArrayList<>(batch.size());
        for (Row row : batch) {
            // the day's hour cells and the state cells it needs (the state qualifiers start with none
            // of the digits of an hour id, so the prefix filter keeps them apart)
            gets.add(new Get(Bytes.toBytes(row.getString(0)))
                    .addFamily(RankSchema.HOURS)
                    .addFamily(RankSchema.STATE)
                    .setFilter(new MultipleColumnPrefixFilter(stateAndDayPrefixes(dayPrefix))));
        }
        Result[] stored = BatchWriter.get(table, gets);
        long written = 0;
        long removed = 0;
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            byte[] rowKey = gets.get(i).getRow();
            Map<Integer, Counters> dayCells = new HashMap<>();
            for (Cell cell : stored[i].rawCells()) {
                if (CellUtil.matchingFamily(cell, RankSchema.HOURS)) {
                    HourId cellHour = HourId.parseId(Bytes.toString(CellUtil.cloneQualifier(cell)));
                    if (cellHour.hour() != hour.hour()) {
                        dayCells.put(cellHour.hour(), Counters.decode(Bytes.toString(CellUtil.cloneValue(cell))));
                    }
                }
            }
            KeyDay.State before = StateCells.read(stored[i]);
            Put put = new Put(rowKey, writeVersion);
            Delete delete = new Delete(rowKey);
            if (row.isNullAt(1)) {
                delete.addColumns(RankSchema.HOURS, hourQualifier, writeVersion);
                removed++;
            } else {
                Counters counters = new Counters(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
                        row.getLong(5));
                dayCells.put(hour.hour(), counters);
                put.addColumn(RankSchema.HOURS, hourQualifier, Bytes.toBytes(counters.encode()));
                written++;
            }
            KeyDay.State after = KeyDay.afterHour(before, hour.day(), dayPhase, dayCells, windowEnd, limits);
            StateCells.write(before, after, put, delete, writeVersion);
            if (!put.isEmpty()) {
                mutator.mutate(put);
            }
            if (!delete.isEmpty()) {
                mutator.mutate(delete);
            }
        }
        keysWritten.add(written);
        keysRemoved.add(removed);
    }
}
