package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayId;
import adrank.udfs.stats.HourId;
import adrank.udfs.stats.Today;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
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
 * Executor side of {@code hourly}: writes one hour's cell per key and recomputes the key's today
 * from that day's hour cells.
 *
 * <p>Each partition opens its own connection and {@link BatchWriter}; keys are handled in
 * batches: one multi-get reads the batch's other hour cells of the day (and its stored today),
 * then the new hour cell and today are buffered as Puts. Input rows are
 * {@code (key, imps, clicks, convs, rev, val)}; a row with null counters removes the key's cell
 * for the hour (a re-run in which the key no longer appears). Every cell is written with the
 * run's timestamp, so a later run's writes always win over an earlier run's, deletes included.
 */
public final class HourCellWriter implements ForeachPartitionFunction<Row> {

    private static final long serialVersionUID = 1L;

    private final HBaseConfig hbase;
    private final String namespace;
    private final HourId hour;
    private final long writeTs;
    private final LongAccumulator keysWritten;
    private final LongAccumulator keysRemoved;

    public HourCellWriter(HBaseConfig hbase, String namespace, HourId hour, long writeTs, LongAccumulator keysWritten,
            LongAccumulator keysRemoved) {
        this.hbase = hbase;
        this.namespace = namespace;
        this.hour = hour;
        this.writeTs = writeTs;
        this.keysWritten = keysWritten;
        this.keysRemoved = keysRemoved;
    }

    @Override
    public void call(Iterator<Row> rows) throws IOException {
        if (!rows.hasNext()) {
            return;
        }
        RankSchema schema = new RankSchema(namespace);
        byte[] hourQualifier = Bytes.toBytes(hour.id());
        byte[] dayPrefix = Bytes.toBytes(DayId.of(hour.day()));
        try (Connection connection = ConnectionFactory.createConnection(hbase.toHadoopConfiguration());
                Table table = connection.getTable(schema.ranks());
                BatchWriter mutator = new BatchWriter(connection, schema.ranks(), hbase.writeBatchRows())) {
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
            gets.add(new Get(Bytes.toBytes(row.getString(0)))
                    .addFamily(RankSchema.HOURS)
                    .addColumn(RankSchema.STATE, RankSchema.TODAY)
                    .setFilter(new MultipleColumnPrefixFilter(new byte[][] {dayPrefix, RankSchema.TODAY})));
        }
        Result[] stored = table.get(gets);
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
            byte[] storedToday = stored[i].getValue(RankSchema.STATE, RankSchema.TODAY);
            Put put = new Put(rowKey, writeTs);
            Delete delete = new Delete(rowKey);
            if (row.isNullAt(1)) {
                delete.addColumns(RankSchema.HOURS, hourQualifier, writeTs);
                removed++;
            } else {
                Counters counters = new Counters(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
                        row.getLong(5));
                dayCells.put(hour.hour(), counters);
                put.addColumn(RankSchema.HOURS, hourQualifier, Bytes.toBytes(counters.encode()));
                written++;
            }
            Today.Update update = Today.afterHour(hour.day(),
                    storedToday == null ? null : Today.decode(Bytes.toString(storedToday)).day(), dayCells);
            if (update instanceof Today.Set set) {
                put.addColumn(RankSchema.STATE, RankSchema.TODAY, Bytes.toBytes(set.today().encode()));
            } else if (update instanceof Today.Clear) {
                delete.addColumns(RankSchema.STATE, RankSchema.TODAY, writeTs);
            }
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
