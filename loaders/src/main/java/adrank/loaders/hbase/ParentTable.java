package adrank.loaders.hbase;

import adrank.udfs.result.ParentModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The parent averages of a schema ({@code <ns>:parents}): one row per parent key with the
 * segment's counters, CPM and VPC priors, replaced as a whole by every result stage.
 */
public final class ParentTable {

    /**
     * Qualifier of a parent's τ² as the full result stage used it (a double's shortest exact text), written at
     * the stage's write version beside the parent's own cell: what incremental results rank against
     * ({@link BasisResults}). Absent when the parent had none.
     */
    public static final byte[] TAU2 = Bytes.toBytes("tau2");
    /**
     * Qualifier of a noise segment's model ({@code NoiseModel#encode}), in a row keyed by the noise segment's key
     * (e.g. {@code ad_id:ad000007}); such a row has no parent cell unless the segment is also a parent level.
     */
    public static final byte[] NOISE = Bytes.toBytes("noise");

    private final Connection connection;
    private final RankSchema schema;

    public ParentTable(Connection connection, RankSchema schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /** The stored columns of one parent (name → text). */
    public static Map<String, String> columns(ParentModel p) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("keys", Long.toString(p.sums().keys()));
        c.put("counters", p.sums().encodeCounters());
        c.put("cpm", p.cpm() == null ? "" : Double.toString(p.cpm()));
        c.put("rate_keys", Long.toString(p.sums().rateKeys()));
        c.put("cvr_shape", p.cvrPrior() == null ? "" : Double.toString(p.cvrPrior().shape()));
        c.put("cvr_rate", p.cvrPrior() == null ? "" : Double.toString(p.cvrPrior().rate()));
        c.put("prior_guard", p.priorGuard() == null ? "" : p.priorGuard().name());
        c.put("value_shape", p.valuePrior() == null ? "" : Double.toString(p.valuePrior().shape()));
        c.put("value_rate", p.valuePrior() == null ? "" : Double.toString(p.valuePrior().rate()));
        return c;
    }

    /** The row of one parent. */
    public static Put put(ParentModel p, long writeVersion) {
        return new Put(Bytes.toBytes(p.parentKey()), writeVersion).addColumn(RankSchema.PARENT,
                RankSchema.PARENT_FIELDS.qualifier(), RankSchema.PARENT_FIELDS.pack(columns(p)));
    }

    /** The cell of a parent's τ². */
    public static Put tau2Put(String parentKey, double tau2, long writeVersion) {
        return new Put(Bytes.toBytes(parentKey), writeVersion).addColumn(RankSchema.PARENT, TAU2,
                Bytes.toBytes(Double.toString(tau2)));
    }

    /** The cell of a noise segment's model. */
    public static Put noisePut(String noiseKey, adrank.udfs.result.NoiseModel noise, long writeVersion) {
        return new Put(Bytes.toBytes(noiseKey), writeVersion).addColumn(RankSchema.PARENT, NOISE,
                Bytes.toBytes(noise.encode()));
    }

    /**
     * A parent as a key is ranked against it ({@link ParentModel#stored}: key count, counters, CPM, τ²), from a
     * row read with its parent and τ² cells; null when the row has no parent cell.
     */
    public static ParentModel storedModel(String parentKey, Result r) {
        if (r.getValue(RankSchema.PARENT, RankSchema.PARENT_FIELDS.qualifier()) == null) {
            return null;
        }
        Map<String, String> c = decode(r);
        byte[] tau2 = r.getValue(RankSchema.PARENT, TAU2);
        String cpm = c.getOrDefault("cpm", "");
        return ParentModel.stored(parentKey, Long.parseLong(c.get("keys")), c.get("counters"),
                cpm.isEmpty() ? null : Double.valueOf(cpm), tau2 == null ? null : Double.valueOf(Bytes.toString(tau2)));
    }

    /** A scan of the parents' own cells (rows of noise models alone are not parents). */
    public static Scan parentsScan() {
        return new Scan().addColumn(RankSchema.PARENT, RankSchema.PARENT_FIELDS.qualifier());
    }

    /** One parent's stored columns. */
    public Optional<Map<String, String>> get(String parentKey) throws IOException {
        try (Table table = connection.getTable(schema.parents())) {
            Result r = table.get(new Get(Bytes.toBytes(parentKey)).addColumn(RankSchema.PARENT,
                    RankSchema.PARENT_FIELDS.qualifier()));
            return r.isEmpty() ? Optional.empty() : Optional.of(decode(r));
        }
    }

    /** Every parent key with its columns, in key order. */
    public List<Map.Entry<String, Map<String, String>>> all() throws IOException {
        List<Map.Entry<String, Map<String, String>>> rows = new ArrayList<>();
        try (Table table = connection.getTable(schema.parents()); ResultScanner scanner = table.getScanner(parentsScan())) {
            for (Result r : scanner) {
                rows.add(Map.entry(Bytes.toString(r.getRow()), decode(r)));
            }
        }
        return rows;
    }

    /** The stored columns of a row of the parents table. */
    public static Map<String, String> decode(Result r) {
        Map<String, String> columns = new TreeMap<>();
        byte[] packed = r.getValue(RankSchema.PARENT, RankSchema.PARENT_FIELDS.qualifier());
        if (packed != null) {
            RankSchema.PARENT_FIELDS.unpack(packed, columns);
        }
        return columns;
    }
}
