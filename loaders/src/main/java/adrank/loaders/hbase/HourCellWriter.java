package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.udfs.result.KeyState;
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
    /** The incremental results computed with the new states, or null (the result stage follows, or is deferred). */
    private final BasisResults results;
    private final LongAccumulator impressions;

    /**
     * @param dayPhase  where the hour's day stands ({@link KeyDay#phase}): open, or folded (the
     *                  hour then re-folds the day instead of opening it)
     * @param windowEnd the newest folded day of the schema (null when none), for a re-fold
     */
    public HourCellWriter(HBaseConfig hbase, String namespace, HourId hour, KeyDay.Phase dayPhase, LocalDate windowEnd,
            Limits limits, long writeVersion, LongAccumulator keysWritten, LongAccumulator keysRemoved) {
        this(hbase, namespace, hour, dayPhase, windowEnd, limits, writeVersion, keysWritten, keysRemoved, null, null);
    }

    /**
     * A writer that also computes the touched keys' results against the basis ({@link BasisResults}) from the
     * states it writes: one read of each key serves both.
     *
     * @param results     the incremental results, or null for none
     * @param impressions receives the impressions of the hour's rows (the data the hour adds to the basis)
     */
    public HourCellWriter(HBaseConfig hbase, String namespace, HourId hour, KeyDay.Phase dayPhase, LocalDate windowEnd,
            Limits limits, long writeVersion, LongAccumulator keysWritten, LongAccumulator keysRemoved,
            BasisResults results, LongAccumulator impressions) {
        if (results != null && dayPhase != KeyDay.Phase.OPEN) {
            throw new IllegalArgumentException("incremental results are for hours of open days; " + hour.day()
                    + " is folded");
        }
        this.results = results;
        this.impressions = impressions;
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
        // the results need the whole state (a faulty by-day entry makes a key faulty)
        int lists = dayPhase == KeyDay.Phase.FOLDED || results != null ? RankSchema.BY_DAY.length : 0;
        byte[][] prefixes = new byte[3 + lists + (results != null ? 3 : 0)][];
        prefixes[0] = dayPrefix;
        prefixes[1] = RankSchema.TODAY;
        prefixes[2] = RankSchema.TOTAL;
        for (int i = 0; i < lists; i++) {
            prefixes[3 + i] = RankSchema.BY_DAY[i];
        }
        if (results != null) {
            // r:error (whether the key was faulty), and what its result was computed against (r:ranking's parent
            // and parent CPM, r:basis): a known key needs no parent lookups
            prefixes[prefixes.length - 3] = ResultWriter.ERROR;
            prefixes[prefixes.length - 2] = RankSchema.RANKING.qualifier();
            prefixes[prefixes.length - 1] = RankSchema.BASIS;
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
        try (BatchWriter mutator = BatchWriter.open(hbase, schema.ranks());
                BasisResults.Task ranking = results == null ? null : results.open()) {
            Table table = mutator.table();
            List<Row> batch = new ArrayList<>(hbase.readBatchSize());
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == hbase.readBatchSize() || !rows.hasNext()) {
                    writeBatch(batch, table, mutator, hourQualifier, dayPrefix, ranking);
                    batch.clear();
                }
            }
            mutator.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeBatch(List<Row> batch, Table table, BatchWriter mutator, byte[] hourQualifier,
            byte[] dayPrefix, BasisResults.Task ranking) throws IOException {
        List<Get> gets = new ArrayList<>(batch.size());
        for (Row row : batch) {
            // the day's hour cells and the state cells it needs (the state qualifiers start with none
            // of the digits of an hour id, so the prefix filter keeps them apart)
            Get get = new Get(Bytes.toBytes(row.getString(0)))
                    .addFamily(RankSchema.HOURS)
                    .addFamily(RankSchema.STATE)
                    .setFilter(new MultipleColumnPrefixFilter(stateAndDayPrefixes(dayPrefix)));
            if (ranking != null) {
                get.addColumn(RankSchema.RESULT, ResultWriter.ERROR).addColumn(RankSchema.RESULT,
                        RankSchema.RANKING.qualifier()).addColumn(RankSchema.RESULT, RankSchema.BASIS);
            }
            gets.add(get);
        }
        List<KeyState> states = ranking == null ? null : new ArrayList<>(batch.size());
        List<Result> storedResults = ranking == null ? null : new ArrayList<>(batch.size());
        List<ResultWriter.RowCells> resultRows = ranking == null ? null : new ArrayList<>(batch.size());
        List<ResultWriter.RowCells> keyRows = new ArrayList<>(batch.size());
        long hourImpressions = 0;
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
                hourImpressions += counters.imps();
                put.addColumn(RankSchema.HOURS, hourQualifier, Bytes.toBytes(counters.encode()));
                written++;
            }
            KeyDay.State after = KeyDay.afterHour(before, hour.day(), dayPhase, dayCells, windowEnd, limits);
            StateCells.write(before, after, put, delete, writeVersion);
            if (states != null) {
                KeyState state = new KeyState(Bytes.toString(rowKey), after.open(), after.total(), after.byDay(),
                        stored[i].getValue(RankSchema.RESULT, ResultWriter.ERROR) != null);
                if (!state.isEmpty()) { // no data left: no result (as in the full stage)
                    states.add(state);
                    storedResults.add(stored[i]);
                    resultRows.add(new ResultWriter.RowCells(put, delete));
                }
            }
            keyRows.add(new ResultWriter.RowCells(put, delete));
        }
        if (states != null) {
            ranking.write(states, storedResults, resultRows); // adds each key's result to its put
        }
        for (ResultWriter.RowCells row : keyRows) {
            row.mutate(mutator);
        }
        keysWritten.add(written);
        keysRemoved.add(removed);
        if (impressions != null) {
            impressions.add(hourImpressions);
        }
    }
}
