package adrank.loaders.hbase;

import adrank.loaders.hazelcast.SnapshotEntry;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayId;
import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The daily record of what was served: table {@code <namespace>:served}, row = encoded key, family {@code d},
 * one cell per serving day (qualifier {@code yyyyMMdd}, the UTC day of the publish on the driver's clock) holding
 * the values of the last snapshot published that day ({@link #FIELDS}: the rank, weight, raw and parent CPM, VPC
 * mean and interval, the counters the key had in the snapshot, and the version). A later publish of the same day
 * overwrites the day's cell; results are overwritten by every run, this record is not. Cells expire
 * {@code limits.max-days} days after they are written (the table's TTL, set when it is created).
 */
public final class ServedRecord {

    /** The family of the served days. */
    public static final byte[] FAMILY = Bytes.toBytes("d");
    /** A served day's fields. */
    public static final PackedCell FIELDS = PackedCell.of("served", List.of("rank", "weight", "cpm", "parent_cpm",
            "vpc_mean", "vpc_lo", "vpc_hi", "imps", "clicks", "convs", "rev", "val", "version"));

    private ServedRecord() {
    }

    /** The table of a schema. */
    public static TableName table(RankSchema schema) {
        return TableName.valueOf(schema.namespace(), "served");
    }

    /** Creates the table when absent, its cells living {@code ttlDays} days. */
    public static void ensureTable(Connection connection, RankSchema schema, int ttlDays) throws IOException {
        try (Admin admin = connection.getAdmin()) {
            if (admin.tableExists(table(schema))) {
                return;
            }
            admin.createTable(TableDescriptorBuilder.newBuilder(table(schema))
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(FAMILY).setMaxVersions(1)
                            .setTimeToLive((int) TimeUnit.DAYS.toSeconds(ttlDays)).build())
                    .build());
        } catch (TableExistsException raced) {
            // another process created it first
        }
    }

    /** The served values of one key on one day. */
    public record Served(double rank, double weight, Double cpm, double parentCpm, Double vpcMean, Double vpcLo,
            Double vpcHi, Counters history, int version) implements java.io.Serializable {
    }

    /** The cell of a published entry: what the snapshot of {@code version} served for the key on {@code day}. */
    public static Put put(String key, LocalDate day, SnapshotEntry e, int version) {
        Counters h = e.today().plus(e.total());
        Map<String, String> v = new HashMap<>();
        v.put("rank", Double.toString(e.rank()));
        v.put("weight", Double.toString(e.weight()));
        v.put("cpm", e.cpm() == null ? null : Double.toString(e.cpm()));
        v.put("parent_cpm", Double.toString(e.parentCpm()));
        v.put("vpc_mean", e.vpcMean() == null ? null : Double.toString(e.vpcMean()));
        v.put("vpc_lo", e.vpcLo() == null ? null : Double.toString(e.vpcLo()));
        v.put("vpc_hi", e.vpcHi() == null ? null : Double.toString(e.vpcHi()));
        v.put("imps", Long.toString(h.imps()));
        v.put("clicks", Long.toString(h.clicks()));
        v.put("convs", Long.toString(h.convs()));
        v.put("rev", Long.toString(h.revenueMicros()));
        v.put("val", Long.toString(h.valueMicros()));
        v.put("version", Integer.toString(version));
        return new Put(Bytes.toBytes(key)).addColumn(FAMILY, Bytes.toBytes(DayId.of(day)), FIELDS.pack(v));
    }

    /** The served days of a row, oldest first. */
    public static NavigableMap<LocalDate, Served> decode(Result row) {
        NavigableMap<LocalDate, Served> out = new TreeMap<>();
        for (Cell cell : row.rawCells()) {
            if (!CellUtil.matchingFamily(cell, FAMILY)) {
                continue;
            }
            Map<String, String> v = new HashMap<>();
            FIELDS.unpack(CellUtil.cloneValue(cell), v);
            out.put(DayId.parse(Bytes.toString(CellUtil.cloneQualifier(cell))), new Served(
                    Double.parseDouble(v.get("rank")), Double.parseDouble(v.get("weight")), optional(v, "cpm"),
                    Double.parseDouble(v.get("parent_cpm")), optional(v, "vpc_mean"), optional(v, "vpc_lo"),
                    optional(v, "vpc_hi"), new Counters(Long.parseLong(v.get("imps")), Long.parseLong(v.get("clicks")),
                            Long.parseLong(v.get("convs")), Long.parseLong(v.get("rev")), Long.parseLong(v.get("val"))),
                    Integer.parseInt(v.get("version"))));
        }
        return out;
    }

    private static Double optional(Map<String, String> v, String name) {
        String s = v.get(name);
        return s == null || s.isEmpty() ? null : Double.valueOf(s);
    }
}
