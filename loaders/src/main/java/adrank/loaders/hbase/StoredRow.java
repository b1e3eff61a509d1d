package adrank.loaders.hbase;

import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.OpenDays;
import adrank.udfs.stats.Total;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * One row of the ranks table, decoded.
 *
 * @param key      the encoded impression key
 * @param hours    hour cells, {@code yyyyMMddHH} → counters, oldest first
 * @param open     the open (applied, not yet folded) days, newest first: normally just today
 * @param byDay    the by-day history
 * @param total    total-to-limit, or null
 * @param results  the result fields (name → text), unpacked from the result family's cells
 * @param newestWriteVersion the newest write version among the row's cells (when it last changed, on HBase's clock)
 */
public record StoredRow(String key, NavigableMap<String, Counters> hours, OpenDays open, ByDay byDay, Total total,
        Map<String, String> results, long newestWriteVersion) {

    public StoredRow {
        if (open == null) {
            open = OpenDays.NONE;
        }
    }

    public static StoredRow decode(Result result) {
        NavigableMap<String, Counters> hours = new TreeMap<>();
        Map<String, String> results = new TreeMap<>();
        long newest = 0;
        for (Cell cell : result.rawCells()) {
            newest = Math.max(newest, cell.getTimestamp());
            if (CellUtil.matchingFamily(cell, RankSchema.HOURS)) {
                hours.put(Bytes.toString(CellUtil.cloneQualifier(cell)),
                        Counters.decode(Bytes.toString(CellUtil.cloneValue(cell))));
            } else if (CellUtil.matchingFamily(cell, RankSchema.RESULT)) {
                if (CellUtil.matchingQualifier(cell, RankSchema.RANKING.qualifier())) {
                    RankSchema.RANKING.unpack(CellUtil.cloneValue(cell), results);
                } else if (CellUtil.matchingQualifier(cell, RankSchema.VPC.qualifier())) {
                    RankSchema.VPC.unpack(CellUtil.cloneValue(cell), results);
                } else if (CellUtil.matchingQualifier(cell, RankSchema.BASIS)) {
                    continue; // how the result was computed, not a result column
                } else {
                    results.put(Bytes.toString(CellUtil.cloneQualifier(cell)),
                            Bytes.toString(CellUtil.cloneValue(cell)));
                }
            }
        }
        String today = state(result, RankSchema.TODAY);
        String total = state(result, RankSchema.TOTAL);
        ByDay byDay = ByDay.decode(state(result, RankSchema.BY_DAY[0]), state(result, RankSchema.BY_DAY[1]),
                state(result, RankSchema.BY_DAY[2]), state(result, RankSchema.BY_DAY[3]),
                state(result, RankSchema.BY_DAY[4]), state(result, RankSchema.BY_DAY[5]));
        return new StoredRow(Bytes.toString(result.getRow()), hours, OpenDays.decode(today), byDay,
                total == null ? null : Total.decode(total), results, newest);
    }

    private static String state(Result result, byte[] qualifier) {
        byte[] value = result.getValue(RankSchema.STATE, qualifier);
        return value == null ? null : Bytes.toString(value);
    }
}
