package adrank.loaders.hbase;

import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.KeyDay;
import adrank.udfs.stats.OpenDays;
import adrank.udfs.stats.Total;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * A key's state cells (family {@code s}: open days in {@code today}, the six by-day lists,
 * {@code total}) to and from {@link KeyDay.State}: what the hourly and daily writers share.
 * Only cells whose value changed are written. A key with no data left (nothing open, no history)
 * loses its state and its result cells: it leaves the next snapshot, and its row leaves the table
 * once its hour cells expire.
 */
final class StateCells {

    private StateCells() {
    }

    /** The stored state of a row read with (at least) the state family. */
    static KeyDay.State read(Result row) {
        ByDay byDay = ByDay.decode(value(row, RankSchema.BY_DAY[0]), value(row, RankSchema.BY_DAY[1]),
                value(row, RankSchema.BY_DAY[2]), value(row, RankSchema.BY_DAY[3]), value(row, RankSchema.BY_DAY[4]),
                value(row, RankSchema.BY_DAY[5]));
        String total = value(row, RankSchema.TOTAL);
        return new KeyDay.State(OpenDays.decode(value(row, RankSchema.TODAY)), byDay,
                total == null ? null : Total.decode(total));
    }

    /**
     * Adds to {@code put} / {@code delete} (both at the run's write version) what turns
     * {@code before} into {@code after}.
     *
     * @return whether anything changed
     */
    static boolean write(KeyDay.State before, KeyDay.State after, Put put, Delete delete, long writeVersion) {
        if (after.isEmpty()) {
            if (before.isEmpty()) {
                return false;
            }
            delete.addFamily(RankSchema.STATE, writeVersion);
            delete.addFamily(RankSchema.RESULT, writeVersion);
            return true;
        }
        boolean changed = false;
        String open = after.open().encode();
        if (!Objects.equals(open, before.open().encode())) {
            changed = true;
            if (open == null) {
                delete.addColumns(RankSchema.STATE, RankSchema.TODAY, writeVersion);
            } else {
                put.addColumn(RankSchema.STATE, RankSchema.TODAY, Bytes.toBytes(open));
            }
        }
        if (!after.byDay().equals(before.byDay())) {
            changed = true;
            if (after.byDay().isEmpty()) {
                for (byte[] qualifier : RankSchema.BY_DAY) {
                    delete.addColumns(RankSchema.STATE, qualifier, writeVersion);
                }
            } else {
                List<String> lists = after.byDay().encode();
                for (int i = 0; i < lists.size(); i++) {
                    put.addColumn(RankSchema.STATE, RankSchema.BY_DAY[i], Bytes.toBytes(lists.get(i)));
                }
            }
        }
        if (!Objects.equals(after.total(), before.total())) {
            changed = true;
            if (after.total() == null) {
                delete.addColumns(RankSchema.STATE, RankSchema.TOTAL, writeVersion);
            } else {
                put.addColumn(RankSchema.STATE, RankSchema.TOTAL, Bytes.toBytes(after.total().encode()));
            }
        }
        return changed;
    }

    private static String value(Result row, byte[] qualifier) {
        byte[] value = row.getValue(RankSchema.STATE, qualifier);
        return value == null ? null : Bytes.toString(value);
    }
}
